import * as Dialog from '@radix-ui/react-dialog';
import { Layers } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { inputRules } from '../app/input-rules';
import { Button } from '../ui/button';
import { DialogFrame } from '../ui/dialog-frame';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';

/** How many replicas run, changed now without a rebuild; checked as every form checks replicas. */
export const ScaleDialog = ({ replicas, stopped, disabled, onScale }: {
  replicas: number;
  stopped: boolean;
  disabled?: boolean;
  /** resolves to an error message, or null once scaled */
  onScale: (replicas: number) => Promise<string | null>;
}) => {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(String(replicas));
  const [problem, setProblem] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    setValue(String(replicas));
    setProblem(null);
    setRefusal(null);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = inputRules.replicas(value);
    setProblem(found);
    setRefusal(null);
    if (found) return;
    setBusy(true);
    const failure = await onScale(Number(value)).finally(() => setBusy(false));
    if (failure) setRefusal(failure);
    else setOpen(false);
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger asChild>
        <Button variant="secondary" disabled={disabled}><Layers size={16} aria-hidden /> Scale</Button>
      </Dialog.Trigger>
      <DialogFrame
        title="Scale the service"
        narrow
        description={
          stopped
          ? 'It is stopped: the number is kept and used when you start it.'
          : `${replicas} running now. The change applies at once, without a rebuild, and to every later deployment.`
        }
      >
        <form onSubmit={submit} noValidate className="mt-4 flex flex-col gap-4">
          <Field label="Replicas" type="number" inputMode="numeric" min={1} max={10} value={value} onChange={(e) => setValue(e.target.value)} hint="1 to 10 copies running at once" error={problem} autoFocus />
          <ErrorNotice error={refusal ? { message: refusal } : null} />
          <div className="flex justify-end gap-2">
            <Dialog.Close asChild>
              <Button variant="secondary">Cancel</Button>
            </Dialog.Close>
            <Button type="submit" disabled={busy}>{busy ? 'Scaling…' : 'Scale'}</Button>
          </div>
        </form>
      </DialogFrame>
    </Dialog.Root>
  );
};
