import { describe, expect, it } from 'vitest';
import type { AgentRowDto } from '../src/contracts/metrics.ts';
import { compareAgents, type AgentSortKey } from '../web/src/agent-order.ts';

const row = (name: string, csat: number | null, firstResponseSeconds: number | null, tickets = 3) =>
  ({ name, csat, firstResponseSeconds, tickets }) as AgentRowDto;
const AGENTS = [
  row('Cleo', 91, 600),
  row('Zed', null, null, 1),
  row('Ada', 97, null, 5),
  row('Ben', 91, 120),
];
const order = (key: AgentSortKey, dir: 1 | -1) =>
  [...AGENTS].sort((a, b) => compareAgents(a, b, key, dir)).map((a) => a.name);

describe("the team table's order", () => {
  it('puts an agent without a value last in both directions, and breaks ties by name', () => {
    expect(order('csat', -1)).toEqual(['Ada', 'Ben', 'Cleo', 'Zed']);
    expect(order('csat', 1)).toEqual(['Ben', 'Cleo', 'Ada', 'Zed']);
    expect(order('firstResponseSeconds', -1)).toEqual(['Cleo', 'Ben', 'Ada', 'Zed']);
    expect(order('firstResponseSeconds', 1)).toEqual(['Ben', 'Cleo', 'Ada', 'Zed']);
    expect(order('tickets', -1)).toEqual(['Ada', 'Ben', 'Cleo', 'Zed']);
    expect(order('name', -1)).toEqual(['Zed', 'Cleo', 'Ben', 'Ada']);
  });
});
