/** A size in bytes as megabytes for people (MB = 10^6 bytes): "0.4 MB", "12.3 MB", "1,234 MB". */
export function formatMegabytes(bytes: number): string {
  const megabytes = bytes / 1e6;
  const digits = megabytes < 100 ? 1 : 0;
  return `${megabytes.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits })} MB`;
}

/** A size in bytes for people: megabytes below 1 GB (`formatMegabytes`), else gigabytes (GB = 10^9 bytes): "12.3 GB". */
export function formatStorage(bytes: number): string {
  if (bytes < 1e9) return formatMegabytes(bytes);
  const gigabytes = bytes / 1e9;
  return `${gigabytes.toLocaleString(undefined, { maximumFractionDigits: gigabytes < 100 ? 1 : 0 })} GB`;
}
