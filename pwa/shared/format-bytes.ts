/** A size in bytes as megabytes for people (MB = 10^6 bytes): "0.4 MB", "12.3 MB", "1,234 MB". */
export function formatMegabytes(bytes: number): string {
  const megabytes = bytes / 1e6;
  const digits = megabytes < 100 ? 1 : 0;
  return `${megabytes.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits })} MB`;
}
