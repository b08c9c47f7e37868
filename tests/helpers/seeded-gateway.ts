import { ensureBuilt } from "./build";
import { startFakeUpstream, type FakeUpstream, type Handler } from "./fake-upstream";
import { makeDataDir, startGateway, type RunningGateway, type ServeMode } from "./gateway";
import { seedGateway, type SeededTokens } from "./seed";

export interface SeededGateway {
  upstream: FakeUpstream;
  gateway: RunningGateway;
  tokens: SeededTokens;
  dataDir: string;
}

/**
 * A fake provider answering with `handler`, a data directory seeded by `seedGateway` (plus
 * whatever `beforeStart` adds), and the built gateway serving it in `mode`.
 */
export async function startSeededGateway(
  mode: ServeMode,
  handler: Handler,
  options: { env?: Record<string, string>; beforeStart?: (dataDir: string, upstreamUrl: string) => Promise<void> | void } = {},
): Promise<SeededGateway> {
  await ensureBuilt();
  const upstream = await startFakeUpstream();
  upstream.handle(handler);
  const dataDir = await makeDataDir();
  const tokens = await seedGateway(dataDir, upstream.url);
  await options.beforeStart?.(dataDir, upstream.url);
  const gateway = await startGateway({ mode, dataDir, env: options.env });
  return { upstream, gateway, tokens, dataDir };
}

export async function stopSeededGateway(seeded: { gateway?: RunningGateway; upstream?: FakeUpstream }): Promise<void> {
  await seeded.gateway?.stop();
  await seeded.upstream?.close();
}
