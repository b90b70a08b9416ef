import type { CameraReport } from '../../protocol/index.js';

/**
 * One line on how a camera's page is doing, from its last report, e.g.
 * "Camera: 29.8 fps captured, 0.5 dropped · sends 720p · wifi"; the parts it
 * did not report are left out, and null when it reported none of them.
 */
export function cameraHealthText(report: CameraReport): string | null {
  const parts: string[] = [];
  if (report.framesPerSecond !== null) {
    const dropped = report.droppedFramesPerSecond ? `, ${report.droppedFramesPerSecond} dropped` : '';
    parts.push(`${report.framesPerSecond} fps captured${dropped}`);
  }
  if (report.sentHeight !== null) parts.push(`sends ${report.sentHeight}p`);
  if (report.network !== null) parts.push(report.network);
  return parts.length > 0 ? `Camera: ${parts.join(' · ')}` : null;
}
