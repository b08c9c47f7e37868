"use client";

import { formatNumber } from "../../_components/format";
import { densifyHours, niceMax, type HourBar } from "./audit-filter-state";
import type { AuditHourly } from "../../../server/audit/hourly";

const SERIES = [
  { key: "ok", label: "2xx", color: "#10b981" },
  { key: "other", label: "other", color: "#94a3b8" },
  { key: "clientError", label: "4xx", color: "#f59e0b" },
  { key: "serverError", label: "5xx", color: "#ef4444" },
] as const;

const WIDTH = 1000;
const HEIGHT = 160;
const hourFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short" });
const fullFormat = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit" });

function describe(bar: HourBar): string {
  return `${fullFormat.format(bar.hour)}: ${bar.total} calls (2xx ${bar.ok}, 4xx ${bar.clientError}, 5xx ${bar.serverError}${bar.other ? `, other ${bar.other}` : ""})`;
}

/** Calls per hour as stacked SVG bars by status class. */
export function AuditChart({ hourly }: { hourly: AuditHourly }) {
  const bars = densifyHours(hourly);
  const top = niceMax(Math.max(0, ...bars.map((bar) => bar.total)));
  const slot = WIDTH / Math.max(1, bars.length);
  const gap = slot > 6 ? Math.min(2, slot * 0.2) : 0;
  const spanHours = bars.length;
  const tickEvery = Math.max(1, Math.ceil(spanHours / 6));
  const ticks = bars.filter((_, index) => index % tickEvery === 0);
  const calls = bars.reduce((sum, bar) => sum + bar.total, 0);

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-4 text-xs text-slate-500">
        {SERIES.map((series) => (
          <span key={series.key} className="inline-flex items-center gap-1.5">
            <span className="size-2.5 rounded-sm" style={{ background: series.color }} aria-hidden />
            {series.label}
          </span>
        ))}
        <span className="ml-auto">
          {formatNumber(calls)} calls in {spanHours} h · peak {formatNumber(Math.max(0, ...bars.map((bar) => bar.total)))}/h
        </span>
      </div>
      <div className="flex gap-2">
        <div className="flex h-40 w-10 flex-col justify-between text-right text-[10px] text-slate-400" aria-hidden>
          <span>{formatNumber(top)}</span>
          <span>{formatNumber(top / 2)}</span>
          <span>0</span>
        </div>
        <div className="min-w-0 flex-1">
          <svg
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            preserveAspectRatio="none"
            className="h-40 w-full"
            role="img"
            aria-label={`Calls per hour: ${calls} calls over ${spanHours} hours`}
            data-testid="audit-chart"
          >
            {[0, 0.5, 1].map((fraction) => (
              <line
                key={fraction}
                x1={0}
                x2={WIDTH}
                y1={HEIGHT * fraction}
                y2={HEIGHT * fraction}
                stroke="#e2e8f0"
                strokeWidth={1}
                vectorEffect="non-scaling-stroke"
              />
            ))}
            {bars.map((bar, index) => {
              let y = HEIGHT;
              return (
                <g key={bar.hour} className="hover:opacity-80">
                  <title>{describe(bar)}</title>
                  <rect x={index * slot} y={0} width={slot} height={HEIGHT} fill="transparent" />
                  {SERIES.map((series) => {
                    const value = bar[series.key];
                    if (!value) return null;
                    const height = (value / top) * HEIGHT;
                    y -= height;
                    return <rect key={series.key} x={index * slot + gap / 2} y={y} width={Math.max(0.5, slot - gap)} height={height} fill={series.color} />;
                  })}
                </g>
              );
            })}
          </svg>
          <div className="relative mt-1 h-4 text-[10px] text-slate-400" aria-hidden>
            {ticks.map((bar) => (
              <span
                key={bar.hour}
                className="absolute -translate-x-1/2 whitespace-nowrap"
                style={{ left: `${((bar.hour - hourly.from) / (hourly.to - hourly.from)) * 100}%` }}
              >
                {spanHours <= 48 ? hourFormat.format(bar.hour) : dayFormat.format(bar.hour)}
              </span>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
