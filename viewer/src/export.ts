/**
 * Exporting what the map shows: a PNG of the canvas with the labels drawn into it (the labels
 * are HTML over the canvas, not in it), and a WebM of a time range played on the canvas
 * (MediaRecorder on canvas.captureStream). The renderer keeps its drawing buffer
 * (preserveDrawingBuffer), so the canvas holds the last picture when it is read.
 */

export interface LabelBox {
  text: string;
  kind: string;
  /** top left, CSS px */
  x: number;
  y: number;
}

const LABEL_COLOURS: Record<string, string> = { street: '#37414b', junction: '#1d232b', rsu: '#006978', hub: '#37474f', dock: '#6a1b9a' };

/** The canvas and the labels over it as one PNG. */
export function pictureBlob(canvas: HTMLCanvasElement, labels: LabelBox[]): Promise<Blob> {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const g = out.getContext('2d')!;
  g.drawImage(canvas, 0, 0);
  const k = canvas.width / Math.max(1, canvas.clientWidth);
  g.scale(k, k);
  g.textBaseline = 'middle';
  g.lineJoin = 'round';
  for (const l of labels) {
    g.font = `${l.kind === 'street' ? 'italic ' : l.kind === 'junction' || l.kind === 'rsu' || l.kind === 'hub' ? '600 ' : ''}${l.kind === 'junction' ? 10 : 11}px system-ui, sans-serif`;
    g.lineWidth = 3;
    g.strokeStyle = '#ffffff';
    g.strokeText(l.text, l.x + 5, l.y + 8);
    g.fillStyle = LABEL_COLOURS[l.kind] ?? '#1d232b';
    g.fillText(l.text, l.x + 5, l.y + 8);
  }
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the picture could not be encoded'))), 'image/png'));
}

/** Starts a file download of a blob. */
export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The first WebM type this browser records, or null when it records none. */
export function webmType(): string | null {
  if (typeof MediaRecorder === 'undefined') return null;
  for (const t of ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm']) if (MediaRecorder.isTypeSupported(t)) return t;
  return null;
}

/**
 * Records the canvas while `play` runs the time range; resolves with the WebM when `play`
 * resolves (the range has been played). `fps` pictures a second are captured.
 */
export async function recordWebm(canvas: HTMLCanvasElement, play: () => Promise<void>, fps = 30): Promise<Blob> {
  const type = webmType();
  if (!type) throw new Error('this browser cannot record WebM');
  const stream = canvas.captureStream(fps);
  const rec = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 6_000_000 });
  const chunks: Blob[] = [];
  rec.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((r) => (rec.onstop = () => r()));
  rec.start(250);
  try {
    await play();
  } finally {
    rec.stop();
    for (const t of stream.getTracks()) t.stop();
  }
  await stopped;
  return new Blob(chunks, { type: 'video/webm' });
}
