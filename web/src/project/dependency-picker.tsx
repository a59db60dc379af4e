/**
 * The services of the same project this one depends on: deployProject deploys them first, and a
 * dependent of one that fails ends BLOCKED. A plain list of checkboxes (works with a keyboard and on a phone).
 */
export const DependencyPicker = ({
  services,
  value,
  onChange,
  error,
}: {
  services: { id: string; name: string }[];
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | null;
}) => (
  <fieldset className="flex flex-col gap-1.5">
    <legend className="mb-1 text-sm font-medium">Depends on</legend>
    {services.length === 0 ? (
      <p className="text-xs text-slate-500 dark:text-slate-400">No other service in this project yet.</p>
    ) : (
      <div className="flex flex-wrap gap-x-4 gap-y-1.5">
        {services.map((s) => (
          <label key={s.id} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              checked={value.includes(s.id)}
              onChange={(e) => onChange(e.target.checked ? [...value, s.id] : value.filter((id) => id !== s.id))}
              className="accent-sky-600"
            />
            {s.name}
          </label>
        ))}
      </div>
    )}
    <p className="text-xs text-slate-500 dark:text-slate-400">Deploy project starts this service only after these are live</p>
    {error && <p className="text-xs text-rose-600 dark:text-rose-400">{error}</p>}
  </fieldset>
);
