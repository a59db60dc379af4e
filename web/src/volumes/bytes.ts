const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** "0 bytes", "512 bytes", "4.0 KB", "12.3 MB", "1.5 GB": units of 1024, as the console shows archive sizes. */
export const humanBytes = (bytes: number): string => {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${UNITS[unit]}`;
};
