/** A figure with its label, and a line of detail under it when there is one. */
export function Stat({ label, value, detail, tone = "text-slate-900" }: { label: string; value: string; detail?: string; tone?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <div className="text-xs font-medium text-slate-500">{label}</div>
      <div className={`mt-1 text-xl font-semibold tabular-nums ${tone}`}>{value}</div>
      {detail ? <div className="text-xs text-slate-400">{detail}</div> : null}
    </div>
  );
}
