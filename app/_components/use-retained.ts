"use client";

import { useRef } from "react";

/** The last non-null value: keeps a closing dialog's content in place while it fades out. */
export function useRetained<T>(value: T | null | undefined): T | null {
  const last = useRef<T | null>(null);
  if (value !== null && value !== undefined) last.current = value;
  return last.current;
}
