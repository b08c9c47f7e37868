import { createCallerFactory, router } from "./init";
import { auditRouter } from "./routers/audit";
import { bindingsRouter } from "./routers/bindings";
import { limitsRouter } from "./routers/limits";
import { usageRouter } from "./routers/usage";
import { llmsRouter } from "./routers/llms";
import { meRouter } from "./routers/me";
import { secretsRouter } from "./routers/secrets";
import { tokensRouter } from "./routers/tokens";
import { usersRouter } from "./routers/users";

export const appRouter = router({
  me: meRouter,
  llms: llmsRouter,
  secrets: secretsRouter,
  users: usersRouter,
  tokens: tokensRouter,
  bindings: bindingsRouter,
  audit: auditRouter,
  limits: limitsRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
