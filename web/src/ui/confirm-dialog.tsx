import * as Dialog from '@radix-ui/react-dialog';
import { useState, type ReactElement, type ReactNode } from 'react';
import { Button } from './button';
import { DialogFrame } from './dialog-frame';

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
      <DialogFrame title={title} description={description}>
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
      </DialogFrame>
    </Dialog.Root>
  );
};
