import { execFileSync } from 'node:child_process';
import { APP_USER } from '../scripts/app-user-setup';
import type { Instance } from './instance';

export interface AppUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/**
 * The unprivileged user the user data made on a real instance: builds and the
 * app run as it. In a root directory of its own (the AWS twin) there is none,
 * and they run as the agent.
 */
export function appUser(instance: Instance): AppUser | null {
  if (instance.root !== '') return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, APP_USER], { encoding: 'utf8' }).trim());
  return { name: APP_USER, uid: id('-u'), gid: id('-g'), home: `/home/${APP_USER}` };
}
