"use client";

import { CloseButton, Dialog, DialogBackdrop, DialogPanel, DialogTitle } from "@headlessui/react";
import { X } from "lucide-react";
import type { ReactNode } from "react";

/** A side panel (a Dialog anchored to the right edge) for details of one row. */
export function Drawer({ open, onClose, title, children }: { open: boolean; onClose: () => void; title: ReactNode; children: ReactNode }) {
  return (
    <Dialog open={open} onClose={onClose} className="relative z-50">
      <DialogBackdrop transition className="fixed inset-0 bg-slate-900/30 transition-opacity duration-150 data-closed:opacity-0" />
      <div className="fixed inset-y-0 right-0 flex max-w-full pl-10">
        <DialogPanel transition className="flex w-screen max-w-lg flex-col bg-white shadow-xl transition duration-200 data-closed:translate-x-full">
          <div className="flex items-center justify-between border-b border-slate-200 px-6 py-4">
            <DialogTitle className="text-base font-semibold text-slate-900">{title}</DialogTitle>
            <CloseButton className="rounded-md p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-600" aria-label="Close">
              <X className="size-5" aria-hidden />
            </CloseButton>
          </div>
          <div className="flex-1 overflow-y-auto px-6 py-5">{children}</div>
        </DialogPanel>
      </div>
    </Dialog>
  );
}
