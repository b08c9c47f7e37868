"use client";

import { CloseButton, Dialog, DialogBackdrop, DialogPanel, DialogTitle, Description } from "@headlessui/react";
import { X } from "lucide-react";
import type { FormEvent, ReactNode } from "react";
import { Button } from "./button";

const WIDTHS = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-2xl" } as const;

interface ModalProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  size?: keyof typeof WIDTHS;
  children: ReactNode;
}

/** A centred dialog: focus is trapped, Escape and the backdrop close it. */
export function Modal({ open, onClose, title, description, size = "md", children }: ModalProps) {
  return (
    <Dialog open={open} onClose={onClose} className="relative z-50">
      <DialogBackdrop transition className="fixed inset-0 bg-slate-900/40 transition-opacity duration-150 data-closed:opacity-0" />
      <div className="fixed inset-0 overflow-y-auto">
        <div className="flex min-h-full items-start justify-center p-4 pt-[10vh]">
          <DialogPanel
            transition
            className={`w-full ${WIDTHS[size]} rounded-xl bg-white shadow-xl ring-1 ring-slate-900/5 transition duration-150 data-closed:scale-95 data-closed:opacity-0`}
          >
            <div className="flex items-start justify-between gap-4 border-b border-slate-100 px-6 py-4">
              <div>
                <DialogTitle className="text-base font-semibold text-slate-900">{title}</DialogTitle>
                {description ? <Description className="mt-1 text-sm text-slate-500">{description}</Description> : null}
              </div>
              <CloseButton className="-m-1 rounded-md p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-600" aria-label="Close">
                <X className="size-5" aria-hidden />
              </CloseButton>
            </div>
            {children}
          </DialogPanel>
        </div>
      </div>
    </Dialog>
  );
}

/** The body and footer of a dialog that is a form: Enter submits, the footer holds the actions. */
export function ModalForm({ onSubmit, children, footer }: { onSubmit: () => void; children: ReactNode; footer: ReactNode }) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit();
  }
  return (
    <form onSubmit={submit} noValidate>
      <div className="space-y-4 px-6 py-5">{children}</div>
      <div className="flex justify-end gap-2 rounded-b-xl border-t border-slate-100 bg-slate-50 px-6 py-3">{footer}</div>
    </form>
  );
}

/** The usual form footer: Cancel, then the primary submit button. */
export function FormActions({ onCancel, submitLabel, pending }: { onCancel: () => void; submitLabel: string; pending: boolean }) {
  return (
    <>
      <Button onClick={onCancel}>Cancel</Button>
      <Button type="submit" variant="primary" loading={pending}>
        {submitLabel}
      </Button>
    </>
  );
}
