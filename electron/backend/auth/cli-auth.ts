import { read } from 'read';
import type { MethodName } from '../../../shared/contract';
import { AppError, type ApiResult } from '../../../shared/errors';
import type { Backend } from '../backend';

export const CLI_AUTH_HELP = `  --user NOM           le compte avec lequel agir (sinon SILLON_USER) ; son mot de passe est demandé au
                       terminal, ou lu dans SILLON_PASSWORD (scripts). init et demo n'en demandent pas
                       tant que le dossier n'a aucun compte ; init --user NOM y crée alors le premier
                       administrateur (mot de passe choisi au terminal ou dans SILLON_PASSWORD).
`;

/** The CLI's backend once signed in: every command's call is carried with the session's token. */
export interface SignedIn {
  backend: Backend;
  signOut(): Promise<void>;
}

/** Commands a data folder without any account lets run without signing in (there is nobody to sign in as). */
const WITHOUT_ACCOUNT = new Set(['init', 'demo']);

function fail(result: ApiResult<unknown>): never {
  if (result.ok) throw new Error('unreachable');
  throw new AppError(result.error.code, result.error.message, result.error.issues);
}

async function password(login: string, confirm = false): Promise<string> {
  const fromEnv = process.env.SILLON_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new AppError('validation', `Mot de passe de « ${login} » : aucun terminal pour le demander ; indiquez-le dans la variable SILLON_PASSWORD.`, [{ path: 'password', message: 'Mot de passe manquant.' }]);
  }
  // Typed without echo, on stderr so a command's output piped elsewhere stays clean.
  const first = await read({ prompt: `Mot de passe de ${login} : `, silent: true, replace: '', output: process.stderr });
  if (!confirm) return first;
  const again = await read({ prompt: 'Confirmez le mot de passe : ', silent: true, replace: '', output: process.stderr });
  if (again !== first) throw new AppError('validation', 'Mot de passe — les deux saisies diffèrent ; rien n’a été créé.', [{ path: 'password', message: 'Les deux saisies diffèrent.' }]);
  return first;
}

/**
 * Signs the CLI in for one command: `--user` (or SILLON_USER) and the password from the terminal (or
 * SILLON_PASSWORD), through the same `auth.signIn` as the app. A folder without any account runs `init` and
 * `demo` as the backend's own identity — `init --user NAME` then creates the first administrator — and refuses the
 * rest with the way out. The session ends with the command.
 */
export async function signInForCommand(backend: Backend, command: string, userOption: string | undefined, options: { name?: string | undefined } = {}): Promise<SignedIn> {
  const status = await backend.serve(null, 'auth.status', {}, { transport: 'cli' });
  if (!status.result.ok) fail(status.result);
  const login = (userOption ?? process.env.SILLON_USER)?.trim();
  if ((status.result.value as { setupNeeded: boolean }).setupNeeded) {
    if (command === 'init' && login) {
      const created = await backend.serve(null, 'auth.setup', { login, name: options.name ?? login, password: await password(login, true) }, { transport: 'cli' });
      if (!created.result.ok) fail(created.result);
      process.stdout.write(`Premier compte administrateur créé : ${login}.\n`);
      return session(backend, created.token ?? null);
    }
    if (WITHOUT_ACCOUNT.has(command)) return { backend, signOut: async () => {} };
    throw new AppError(
      'unauthenticated',
      'Ce dossier de données n’a encore aucun compte : créez le premier administrateur (npm run cli -- init --user VOTRE_IDENTIFIANT --name "Prénom Nom") ou chargez la démonstration (npm run cli -- demo).',
    );
  }
  if (!login) {
    throw new AppError('validation', 'Option --user manquante : indiquez votre identifiant Sillon (ou la variable SILLON_USER).', [{ path: 'user', message: 'Identifiant manquant.' }]);
  }
  const served = await backend.serve(null, 'auth.signIn', { login, password: await password(login) }, { transport: 'cli' });
  if (!served.result.ok) fail(served.result);
  return session(backend, served.token ?? null);
}

function session(backend: Backend, token: string | null): SignedIn {
  const carried: Backend = {
    ...backend,
    dispatch: async (method, payload, call) => (await backend.serve(token, method as MethodName, payload, { ...(call ?? {}), transport: 'cli' })).result,
  };
  return {
    backend: carried,
    signOut: async () => {
      if (token) await backend.serve(token, 'auth.signOut', {}, { transport: 'cli' });
    },
  };
}
