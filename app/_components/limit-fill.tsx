import { formatNumber, formatUsd } from "./format";

interface Fill {
  metric: string;
  max: number;
  used: number;
  reserved: number;
}

/** A limit's figure as people read it: dollars for a cost budget, whole numbers otherwise. */
export function formatLimitValue(metric: string, value: number): string {
  return metric === "cost_usd" ? formatUsd(value) : formatNumber(value);
}

/** How full a limit is now: settled usage, then what calls in flight hold, against its max. */
export function LimitFillBar({ limit, label }: { limit: Fill; label: string }) {
  const { max, used, reserved, metric } = limit;
  const share = (value: number) => (max > 0 ? Math.min(100, (value / max) * 100) : value > 0 ? 100 : 0);
  const usedShare = share(used);
  const reservedShare = Math.min(100 - usedShare, share(reserved));
  const percent = max > 0 ? Math.round(((used + reserved) / max) * 100) : used + reserved > 0 ? 100 : 0;
  const tone = percent >= 100 ? "bg-red-500" : percent >= 80 ? "bg-amber-500" : "bg-indigo-500";
  const text = `${formatLimitValue(metric, used)}${reserved > 0 ? ` + ${formatLimitValue(metric, reserved)} in flight` : ""} of ${formatLimitValue(metric, max)}`;
  return (
    <div className="min-w-40">
      <div
        className="flex h-2 overflow-hidden rounded-full bg-slate-100"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={Math.min(max, used + reserved)}
        aria-valuetext={`${percent}%: ${text}`}
      >
        <span className={tone} style={{ width: `${usedShare}%` }} />
        <span className={`${tone} opacity-40`} style={{ width: `${reservedShare}%` }} />
      </div>
      <div className="mt-1 text-xs text-slate-500 tabular-nums">
        {percent}% · {text}
      </div>
    </div>
  );
}
