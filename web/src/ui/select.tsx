import type { SelectHTMLAttributes } from 'react';
import { useId } from 'react';

/** A labelled native select (keyboard and screen-reader friendly as it is); its error is read out with it. */
export const Select = ({
  label,
  error,
  options,
  hideLabel,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string | null; options: { value: string; label: string }[]; hideLabel?: boolean }) => {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'text-sm font-medium'}>
        {label}
      </label>
      <select
        id={id}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        {...props}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && <p id={`${id}-error`} className="text-xs text-rose-600 dark:text-rose-400">{error}</p>}
    </div>
  );
};
