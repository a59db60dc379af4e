import * as Dialog from '@radix-ui/react-dialog';
import { useId, useState, type ReactElement, type ReactNode } from 'react';
import { Button } from './button';
import { DialogFrame } from './dialog-frame';
import { ErrorNotice } from './notice';

/**
 * Asks before deleting something for good: the confirm button wakes only once its name is typed,
 * and volumes go only when asked (kept by default). Stays open with the API's words on a refusal.
 */
export const TypeNameDialog = ({
  title,
  name,
  what,
  description,
  confirmLabel,
  onConfirm,
  trigger,
}: {
  title: string;
  /** what must be typed */
  name: string;
  /** "service" or "project": for the labels */
  what: string;
  description: ReactNode;
  confirmLabel: string;
  /** resolves to an error message to show, or null when done */
  onConfirm: (deleteVolumes: boolean) => Promise<string | null>;
  trigger: ReactElement;
}) => {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [deleteVolumes, setDeleteVolumes] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const volumesId = useId();
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setTyped('');
      setDeleteVolumes(false);
      setProblem(null);
    }
  };
  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    const failure = await onConfirm(deleteVolumes).finally(() => setBusy(false));
    if (failure) setProblem(failure);
    else onOpenChange(false);
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <DialogFrame title={title} description={description}>
        <form
          className="mt-4 flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (typed === name && !busy) void confirm();
          }}
        >
          <div className="flex flex-col gap-1">
            <label htmlFor={inputId} className="text-sm font-medium">
              Type <span className="font-mono break-all">{name}</span> to confirm
            </label>
            <input
              id={inputId}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              aria-label={`The ${what}'s name, to confirm`}
              className="rounded-md border border-slate-300 bg-white px-2.5 py-1.5 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          </div>
          <div className="flex items-start gap-2">
            <input id={volumesId} type="checkbox" checked={deleteVolumes} onChange={(e) => setDeleteVolumes(e.target.checked)} className="mt-1" />
            <label htmlFor={volumesId} className="text-sm">
              <span className="font-medium">Delete its volumes too</span>
              <span className="block text-xs text-slate-500 dark:text-slate-400">
                Left unticked, the {what}'s volumes and the data in them are kept on the server.
              </span>
            </label>
          </div>
          <ErrorNotice error={problem ? { message: problem } : null} />
          <div className="flex flex-wrap justify-end gap-2">
            <Dialog.Close asChild>
              <Button variant="secondary">Cancel</Button>
            </Dialog.Close>
            <Button type="submit" variant="danger" disabled={typed !== name || busy}>
              {busy ? 'Deleting…' : confirmLabel}
            </Button>
          </div>
        </form>
      </DialogFrame>
    </Dialog.Root>
  );
};
