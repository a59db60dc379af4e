import * as Dialog from '@radix-ui/react-dialog';
import { useState, type ReactElement, type ReactNode } from 'react';
import { Button } from './button';

/**
 * Asks before something that cannot be undone in one click. `trigger` opens it; Escape or Cancel
 * closes it and focus returns to the trigger; it closes by itself once `onConfirm` has settled.
 */
export const ConfirmDialog = ({
  title,
  description,
  confirmLabel,
  onConfirm,
  trigger,
  busy,
  tone = 'danger',
  dismissLabel = 'Cancel',
}: {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => unknown;
  trigger: ReactElement;
  busy?: boolean;
  tone?: 'danger' | 'primary';
  /** the button that closes without acting (say "Keep it" when the action itself is a cancel) */
  dismissLabel?: string;
}) => {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-slate-600 dark:text-slate-300">{description}</Dialog.Description>
          <div className="mt-5 flex justify-end gap-2">
            <Dialog.Close asChild>
              <Button variant="secondary">{dismissLabel}</Button>
            </Dialog.Close>
            <Button
              variant={tone}
              disabled={busy}
              onClick={async () => {
                try {
                  await onConfirm();
                } finally {
                  setOpen(false);
                }
              }}
            >
              {confirmLabel}
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
};
