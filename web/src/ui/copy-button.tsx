import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from './button';

/** Copies a value to the clipboard and says so (for people who cannot see the icon change, too). */
export const CopyButton = ({ value, label = 'Copy' }: { value: string; label?: string }) => {
  const [copied, setCopied] = useState(false);
  const [failed, setFailed] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setFailed(false);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setFailed(true);
    }
  };
  return (
    <Button variant="secondary" onClick={copy} aria-live="polite">
      {copied ? <Check size={16} aria-hidden /> : <Copy size={16} aria-hidden />}
      {copied ? 'Copied' : failed ? 'Select and copy it by hand' : label}
    </Button>
  );
};

/** A value shown once (a token, a secret, a link): selectable, in full, with a Copy button. */
export const OnceValue = ({ label, value }: { label: string; value: string }) => (
  <div className="flex flex-col gap-1">
    <span className="text-sm font-medium">{label}</span>
    <div className="flex flex-wrap items-center gap-2">
      <code aria-label={label} className="min-w-0 flex-1 break-all rounded-md border border-slate-300 bg-slate-50 px-2.5 py-1.5 font-mono text-xs select-all dark:border-slate-700 dark:bg-slate-950">
        {value}
      </code>
      <CopyButton value={value} />
    </div>
  </div>
);
