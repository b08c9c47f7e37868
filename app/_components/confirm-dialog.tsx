"use client";

import { TriangleAlert } from "lucide-react";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { Button } from "./button";
import { Modal } from "./modal";
import { toServerError } from "./trpc-errors";

interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  /** Resolves when done; a rejection keeps the dialog open and shows the server's reason. */
  onConfirm: () => Promise<unknown>;
  successMessage?: string;
}

/** Asks before a destructive action; a refusal (e.g. a Secret still in use) is shown in place. */
export function ConfirmDialog({ open, onClose, title, children, confirmLabel = "Delete", onConfirm, successMessage }: ConfirmDialogProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function close() {
    if (pending) return;
    setError(null);
    onClose();
  }

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      if (successMessage) toast.success(successMessage);
      setPending(false);
      onClose();
    } catch (caught) {
      setPending(false);
      setError(toServerError(caught).message);
    }
  }

  return (
    <Modal open={open} onClose={close} title={title} size="sm">
      <div className="flex gap-4 px-6 py-5">
        <div className="flex size-10 shrink-0 items-center justify-center rounded-full bg-red-50">
          <TriangleAlert className="size-5 text-red-600" aria-hidden />
        </div>
        <div className="min-w-0 space-y-3 text-sm text-slate-600">
          <div>{children}</div>
          {error ? (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-700">
              {error}
            </p>
          ) : null}
        </div>
      </div>
      <div className="flex justify-end gap-2 rounded-b-xl border-t border-slate-100 bg-slate-50 px-6 py-3">
        <Button onClick={close} disabled={pending} data-autofocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={confirm} loading={pending}>
          {confirmLabel}
        </Button>
      </div>
    </Modal>
  );
}
