import type { SecretRow } from "./types";
import { envBackend } from "./env";
import { localBackend } from "./local";
import { openbaoBackend } from "./openbao";
import type { SecretBackend } from "./types";

export const SECRET_BACKENDS = {
  local: localBackend,
  env: envBackend,
  openbao: openbaoBackend,
} satisfies Record<SecretRow["backend"], SecretBackend>;
