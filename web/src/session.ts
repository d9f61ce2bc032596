import { useQuery } from '@tanstack/react-query';
import type { Me, SetupStatus } from '../../src/contracts/identity.ts';
import { api, ApiError } from './api.ts';

/** Who is signed in (GET /me); null when nobody is. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<Me>('/me');
      } catch (e) {
        if (e instanceof ApiError && (e.status === 401 || e.status === 404)) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useSetup() {
  return useQuery({ queryKey: ['setup'], queryFn: () => api<SetupStatus>('/setup'), staleTime: 60_000 });
}

export const canWrite = (me: Me | null | undefined) => me?.role === 'owner' || me?.role === 'admin';
