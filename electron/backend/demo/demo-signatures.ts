import { PNG } from 'pngjs';
import type { SignatureInput } from '../../../shared/schemas/attendance';

/**
 * A fictitious hand-drawn signature for demo data: a few pen strokes derived from the name, kept as
 * vectors and rasterised to a PNG the way the signature pad does in the app.
 */
export function demoSignature(name: string, width = 240, height = 80): SignatureInput {
  let seed = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const strokes: [number, number, number][][] = [];
  let t = 0;
  const letters = Math.min(8, name.replace(/[^a-zA-Z]/g, '').length || 5);
  const first: [number, number, number][] = [];
  for (let i = 0; i <= letters * 6; i++) {
    const x = 12 + (i / (letters * 6)) * (width * 0.7);
    const y = height / 2 + Math.sin(i * 0.9 + rand()) * (height * 0.28) * (0.6 + rand() * 0.4);
    first.push([Math.round(x), Math.round(y), (t += 16)]);
  }
  strokes.push(first);
  const flourish: [number, number, number][] = [];
  for (let i = 0; i <= 12; i++) flourish.push([Math.round(width * 0.2 + i * (width * 0.06)), Math.round(height * 0.78 - Math.sin(i / 4) * 6), (t += 16)]);
  strokes.push(flourish);

  const png = new PNG({ width, height, colorType: 6 });
  png.data.fill(0); // transparent
  const plot = (x: number, y: number) => {
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px < 0 || py < 0 || px >= width || py >= height) continue;
        const o = (py * width + px) * 4;
        png.data[o] = 20;
        png.data[o + 1] = 40;
        png.data[o + 2] = 110;
        png.data[o + 3] = 255;
      }
  };
  for (const stroke of strokes) {
    for (let i = 1; i < stroke.length; i++) {
      const [x0, y0] = stroke[i - 1]!;
      const [x1, y1] = stroke[i]!;
      const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
      for (let s = 0; s <= steps; s++) plot(x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps);
    }
  }
  return { strokes, pngBase64: PNG.sync.write(png).toString('base64') };
}
