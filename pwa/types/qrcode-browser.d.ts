/**
 * The part of the `qrcode` package's browser build (`qrcode/lib/browser.js`)
 * the PWA uses. `@types/qrcode` describes the Node build too and pulls in the
 * Node types, which the browser's type check must not see; the browser
 * tsconfig maps `qrcode` here instead.
 */
declare module 'qrcode' {
  /** Options of `toDataURL` (qrcode README, "QR Code options" and "Renderers options"). */
  export interface QRCodeToDataURLOptions {
    errorCorrectionLevel?: 'low' | 'medium' | 'quartile' | 'high' | 'L' | 'M' | 'Q' | 'H';
    /** Quiet zone, modules. */
    margin?: number;
    /** Image width, px. */
    width?: number;
    type?: 'image/png' | 'image/jpeg' | 'image/webp';
  }
  /** The QR code of `text` as a `data:` URL of an image. */
  export function toDataURL(text: string, options?: QRCodeToDataURLOptions): Promise<string>;
}
