import { Counter, Gauge, Histogram, Registry } from "prom-client";

// One registry per bundle: the lean server and Next each count what they serve.
export const registry = new Registry();

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

export const requestsTotal = new Counter({
  name: "gateway_inference_requests_total",
  help: "Inference calls by llm, HTTP status sent and the API the client spoke",
  labelNames: ["llm", "status", "api"],
  registers: [registry],
});
export const requestDuration = new Histogram({
  name: "gateway_inference_duration_seconds",
  help: "Whole inference call, arrival to last byte",
  labelNames: ["llm"],
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
export const gatewayOverhead = new Histogram({
  name: "gateway_overhead_seconds",
  help: "Time the gateway spends before handing a call to the provider (auth, validation, key, mapping)",
  buckets: OVERHEAD_BUCKETS,
  registers: [registry],
});
export const upstreamTtft = new Histogram({
  name: "gateway_upstream_ttft_seconds",
  help: "From dispatch to the provider until the first byte is sent to the client",
  labelNames: ["llm"],
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
export const tokensTotal = new Counter({
  name: "gateway_tokens_total",
  help: "Tokens reported by providers",
  labelNames: ["llm", "kind"],
  registers: [registry],
});
export const costTotal = new Counter({
  name: "gateway_cost_usd_total",
  help: "What inference calls cost, in USD, by the Llm's own pricing or the bundled price table",
  labelNames: ["llm"],
  registers: [registry],
});
export const unpricedCalls = new Counter({
  name: "gateway_unpriced_calls_total",
  help: "Calls that reported usage but have no known price (their cost is recorded as null)",
  labelNames: ["llm"],
  registers: [registry],
});
export const limitRefusals = new Counter({
  name: "gateway_limit_refusals_total",
  help: "Calls refused by a configured limit, by the metric of the limit that refused",
  labelNames: ["metric"],
  registers: [registry],
});
export const limitClaims = new Counter({
  name: "gateway_limit_claims_total",
  help: "Calls that waited for the database to hand this replica more room under a limit (every other admission is decided in memory)",
  registers: [registry],
});
export const activeStreams = new Gauge({ name: "gateway_active_streams", help: "Streams currently open to clients", registers: [registry] });

export const auditRowsDropped = new Counter({
  name: "gateway_audit_rows_dropped_total",
  help: "Audit rows never written: overflow (the database was away longer than the buffer holds) or rejected (the database refused the row itself)",
  labelNames: ["reason"],
  registers: [registry],
});

export const auditRowsPending = new Gauge({
  name: "gateway_audit_rows_pending",
  help: "Audit rows queued in this process, waiting to be written",
  registers: [registry],
});

export const routeAttempts = new Counter({
  name: "gateway_route_attempts_total",
  help: "Attempts of calls to a route, by target and outcome (served, failed)",
  labelNames: ["route", "target", "outcome"],
  registers: [registry],
});

export const routeTargetState = new Gauge({
  name: "gateway_route_target_state",
  help: "A route's target in this replica: 0 available, 1 cooling down, 2 cooldown over (the next call probes it), 3 probe in flight",
  labelNames: ["route", "target"],
  registers: [registry],
});

export const routeTargetCooldown = new Gauge({
  name: "gateway_route_target_cooldown_seconds",
  help: "Seconds until a cooling target of a route gets its probe call (0 when not cooling)",
  labelNames: ["route", "target"],
  registers: [registry],
});

export const routeTargetInFlight = new Gauge({
  name: "gateway_route_target_in_flight",
  help: "Calls in flight to a route's target in this replica",
  labelNames: ["route", "target"],
  registers: [registry],
});

export const routeTargetFailures = new Gauge({
  name: "gateway_route_target_failures",
  help: "Failures in a row of a route's target in this replica",
  labelNames: ["route", "target"],
  registers: [registry],
});
