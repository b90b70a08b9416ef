/**
 * The part of `parse-prometheus-text-format` (which ships no types) the tests
 * use: the text exposition format parsed into metric families, as
 * Prometheus's own `expfmt` JSON would give them.
 */
declare module 'parse-prometheus-text-format' {
  export interface MetricFamily {
    name: string;
    help: string;
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    metrics: { value?: string; labels?: Record<string, string> }[];
  }
  /** @throws Error when the text is not valid exposition format */
  export default function parsePrometheusTextFormat(text: string): MetricFamily[];
}
