/**
 * The QR code of a link (a pairing or invitation URL) as a PNG `data:` URL,
 * 512 px wide with error correction M, from the `qrcode` package loaded on demand.
 */
export async function qrCodeOf(url: string): Promise<string> {
  const { toDataURL } = await import('qrcode');
  return toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 512 });
}
