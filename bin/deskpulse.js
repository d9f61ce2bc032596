#!/usr/bin/env node
// Thin launcher: runs the TypeScript CLI through tsx so `npx deskpulse` works from a checkout without a build.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
