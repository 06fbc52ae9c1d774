// Renders what one ceiling camera sees (floor, shelves, people from above with arms reaching into shelves,
// baskets and trolleys) as SVG, rasterised by sharp, then lighting, sensor noise and blur → JPEG.
// Returns the ground truth of who is in the picture, in floor metres and image pixels.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Random } from '../../shared/random.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { Appearance } from './appearance.ts';
import { rgb } from './appearance.ts';
import type { Conditions } from './camera-conditions.ts';
import { applyMat3, type CameraView, seesFloorPoint } from './camera-geometry.ts';
import { type Point, shelfAxes } from './floor-planner.ts';
import type { Pose } from './motion-plan.ts';
import {
  addLightAndNoise,
  blend,
  blendSparse,
  coversAnyPixel,
  type SparsePixels,
  sparsePixels,
} from './raster-ops.ts';

export interface SceneActor {
  id: string;
  pose: Pose;
  appearance: Appearance;
}

export interface VisiblePerson {
  id: string;
  x: number;
  y: number;
  px: number;
  py: number;
  /** Extended hand (reach ≥ 0.6) inside the picture, in floor metres and pixels; it is this person's. */
  hand: { x: number; y: number; px: number; py: number } | undefined;
}

const skuColour = (sku: string | undefined): string => {
  let h = 7;
  for (const ch of sku ?? '') h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360},${45 + (h % 40)}%,${40 + ((h >> 8) % 30)}%)`;
};

export class FrameRenderer {
  private background: Buffer | undefined;
  /** Shelf lips: the frame's pixels they cover, with colour and alpha. */
  private lips: SparsePixels | undefined;
  /** Rasterised person tiles by their SVG text. */
  private readonly tiles = new Map<string, Buffer>();
  /**
   * Frame buffers no render is using: reused instead of allocating 0.9 MB per frame (the allocation and the
   * garbage collections it caused cost more than the copy of the background into them).
   */
  private readonly spareFrames: Buffer[] = [];
  private readonly width: number;
  private readonly height: number;
  private readonly ppm: number;

  constructor(
    private readonly view: CameraView,
    private readonly store: StoreConfig,
  ) {
    this.width = view.camera.imageWidth;
    this.height = view.camera.imageHeight;
    this.ppm = 1 / view.metresPerPixel;
  }

  /**
   * What this renderer draws when nobody is in the picture (the camera, floor and shelves), as a short hash:
   * renderers with the same key draw the same empty view.
   */
  sceneKey(): string {
    const { camera } = this.view;
    const { floor, shelves } = this.store;
    return createHash('sha256')
      .update(JSON.stringify([camera, floor, shelves]))
      .digest('hex')
      .slice(0, 24);
  }

  private px(p: Point): Point {
    return applyMat3(this.view.floorToPixel, p.x, p.y);
  }

  private poly(corners: Point[], attrs: string): string {
    const pts = corners.map((c) => this.px(c)).map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`);
    return `<polygon points="${pts.join(' ')}" ${attrs}/>`;
  }

  /** Floor-space rectangle along a shelf: `u` along its width, `v` along its facing (both ranges, metres). */
  private shelfRect(shelf: StoreConfig['shelves'][number], u: [number, number], v: [number, number]) {
    const { face, along } = shelfAxes(shelf);
    const at = (a: number, b: number) => ({
      x: shelf.position.x + along.x * a + face.x * b,
      y: shelf.position.y + along.y * a + face.y * b,
    });
    return [at(u[0], v[0]), at(u[1], v[0]), at(u[1], v[1]), at(u[0], v[1])];
  }

  private backgroundSvg(): string {
    const parts: string[] = [`<rect width="${this.width}" height="${this.height}" fill="rgb(196,190,178)"/>`];
    const step = 0.6;
    for (let x = 0; x <= this.store.floor.widthM; x += step) {
      parts.push(
        this.poly(
          [
            { x, y: 0 },
            { x: x + 0.01, y: 0 },
            { x: x + 0.01, y: this.store.floor.depthM },
            { x, y: this.store.floor.depthM },
          ],
          'fill="rgb(176,170,160)"',
        ),
      );
    }
    for (const shelf of this.store.shelves) {
      const w = shelf.widthM / 2;
      const d = shelf.depthM / 2;
      parts.push(this.poly(this.shelfRect(shelf, [-w, w], [-d, d]), 'fill="rgb(95,98,105)"'));
      const laneW = shelf.widthM / shelf.lanes.length;
      shelf.lanes.forEach((lane, i) => {
        const u0 = -w + i * laneW + 0.03;
        parts.push(
          this.poly(
            this.shelfRect(shelf, [u0, u0 + laneW - 0.06], [-d + 0.05, d - 0.08]),
            `fill="${skuColour(lane.sku)}"`,
          ),
        );
      });
    }
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}">${parts.join('')}</svg>`;
  }

  /** Shelf front lips, drawn over people: a hand reaching in is partly hidden by the shelf edge. */
  private lipsSvg(): string {
    return this.store.shelves
      .map((shelf) => {
        const w = shelf.widthM / 2;
        const d = shelf.depthM / 2;
        return this.poly(this.shelfRect(shelf, [-w, w], [d - 0.07, d]), 'fill="rgb(70,72,78)"');
      })
      .join('');
  }

  /** One person as a small SVG tile (rasterising small tiles is far cheaper than a whole frame). */
  private personTile(actor: SceneActor): { svg: string; left: number; top: number; size: number } {
    const { pose, appearance: a } = actor;
    const c = this.px(pose);
    const k = this.ppm;
    const size = Math.ceil(2.4 * k);
    const left = Math.round(c.x) - Math.round(size / 2);
    const top = Math.round(c.y) - Math.round(size / 2);
    const lx = Math.round(c.x) - left;
    const ly = Math.round(c.y) - top;
    const deg = Math.round((pose.heading * 180) / Math.PI / 3) * 3;
    const parts: string[] = [];
    const reaching = pose.hand !== undefined && pose.reach > 0;
    if (pose.hand !== undefined && reaching) {
      const h = this.px(pose.hand);
      const side = pose.heading - Math.PI / 2;
      const s = this.px({
        x: pose.x + Math.cos(side) * 0.18 * a.size,
        y: pose.y + Math.sin(side) * 0.18 * a.size,
      });
      parts.push(
        `<line x1="${(s.x - left).toFixed(1)}" y1="${(s.y - top).toFixed(1)}" x2="${(h.x - left).toFixed(1)}" y2="${(h.y - top).toFixed(1)}" stroke="${rgb(a.top)}" stroke-width="${(0.09 * k).toFixed(1)}" stroke-linecap="round"/>`,
        `<circle cx="${(h.x - left).toFixed(1)}" cy="${(h.y - top).toFixed(1)}" r="${(0.055 * k).toFixed(1)}" fill="${rgb(a.skin)}"/>`,
      );
    }
    const g: string[] = [];
    if (a.carries === 'trolley') {
      g.push(
        `<rect x="${-0.45 * k}" y="${0.38 * k}" width="${0.85 * k}" height="${0.5 * k}" fill="none" stroke="rgb(150,150,155)" stroke-width="${0.04 * k}"/>`,
        `<line x1="${-0.45 * k}" y1="${0.63 * k}" x2="${0.4 * k}" y2="${0.63 * k}" stroke="rgb(150,150,155)" stroke-width="${0.02 * k}"/>`,
      );
    } else if (a.carries === 'basket') {
      g.push(
        `<rect x="${-0.14 * k}" y="${0.27 * k}" width="${0.3 * k}" height="${0.2 * k}" rx="${0.03 * k}" fill="${rgb(a.basket)}"/>`,
      );
    }
    const sy = 0.24 * a.size * k;
    g.push(
      `<ellipse cx="0" cy="0" rx="${(0.13 * k).toFixed(1)}" ry="${sy.toFixed(1)}" fill="${rgb(a.top)}"/>`,
      `<ellipse cx="${0.02 * k}" cy="${sy * 0.98}" rx="${0.1 * k}" ry="${0.045 * k}" fill="${rgb(a.top)}"/>`,
      `<circle cx="${0.02 * k}" cy="0" r="${(0.1 * k).toFixed(1)}" fill="${rgb(a.head)}"/>`,
    );
    if (!reaching) {
      g.push(
        `<ellipse cx="${0.02 * k}" cy="${-sy * 0.98}" rx="${0.1 * k}" ry="${0.045 * k}" fill="${rgb(a.top)}"/>`,
      );
    }
    parts.push(
      `<g transform="translate(${lx.toFixed(1)},${ly.toFixed(1)}) rotate(${deg.toFixed(1)})">${g.join('')}</g>`,
    );
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">${parts.join('')}</svg>`;
    return { svg, left, top, size };
  }

  /** The tile's RGBA pixels. The same tile recurs while a person walks straight or stands: rasterised once. */
  private async rasterise(tile: { svg: string }): Promise<Buffer> {
    const key = tile.svg;
    let rgba = this.tiles.get(key);
    if (rgba === undefined) {
      rgba = await sharp(Buffer.from(tile.svg)).ensureAlpha().raw().toBuffer();
      if (this.tiles.size > 400) this.tiles.clear();
      this.tiles.set(key, rgba);
    }
    return rgba;
  }

  /** Rasterises the tile and alpha-blends it into the frame (sharp's composite is slower at this size). */
  private async drawTile(frame: Uint8Array, tile: { svg: string; left: number; top: number; size: number }) {
    const rgba = await this.rasterise(tile);
    blend(frame, this.width, this.height, rgba, tile.size, tile.left, tile.top);
  }

  /** People whose tile may reach into the picture (their centre at most half a tile outside it). */
  private onFloor(actors: readonly SceneActor[]): SceneActor[] {
    return actors.filter((a) => a.pose.onFloor && seesFloorPoint(this.view, a.pose.x, a.pose.y, -80));
  }

  /**
   * True when any of these people would draw a pixel into the picture (body, arm, hand, basket or trolley):
   * otherwise the frame is the empty view, whatever their poses.
   */
  async showsAnyone(actors: readonly SceneActor[]): Promise<boolean> {
    for (const actor of this.onFloor(actors)) {
      const tile = this.personTile(actor);
      const rgba = await this.rasterise(tile);
      if (coversAnyPixel(this.width, this.height, rgba, tile.size, tile.left, tile.top)) return true;
    }
    return false;
  }

  /** Renders the frame for these actors (on the floor or not) under these conditions. */
  async render(
    actors: readonly SceneActor[],
    conditions: Conditions,
    random: Random,
  ): Promise<{ jpeg: Buffer; visible: VisiblePerson[] }> {
    if (this.background === undefined || this.lips === undefined) {
      this.background = await sharp(Buffer.from(this.backgroundSvg())).removeAlpha().raw().toBuffer();
      const lips = `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}">${this.lipsSvg()}</svg>`;
      const lipsRgba = await sharp(Buffer.from(lips)).ensureAlpha().raw().toBuffer();
      this.lips = sparsePixels(lipsRgba);
    }
    const onFloor = this.onFloor(actors);
    // each render has a frame of its own while sharp reads it, so renders may overlap
    const frame = this.spareFrames.pop() ?? Buffer.allocUnsafeSlow(this.background.length);
    let jpeg: Buffer;
    try {
      frame.set(this.background);
      for (const actor of onFloor) await this.drawTile(frame, this.personTile(actor));
      blendSparse(frame, this.lips);
      addLightAndNoise(frame, conditions, random);
      let out = sharp(frame, { raw: { width: this.width, height: this.height, channels: 3 } });
      if (conditions.blurSigma >= 0.3) out = out.blur(conditions.blurSigma);
      jpeg = await out.jpeg({ quality: conditions.jpegQuality, optimiseCoding: false }).toBuffer();
    } finally {
      this.spareFrames.push(frame);
    }
    const visible: VisiblePerson[] = [];
    for (const a of onFloor) {
      if (!seesFloorPoint(this.view, a.pose.x, a.pose.y)) continue;
      const p = this.px(a.pose);
      // a hand is labelled while the arm is out (reach ≥ 0.6) and the hand itself is in the picture
      const extended = a.pose.hand !== undefined && a.pose.reach >= 0.6 ? a.pose.hand : undefined;
      const hand =
        extended !== undefined && seesFloorPoint(this.view, extended.x, extended.y) ? extended : undefined;
      const hp = hand === undefined ? undefined : this.px(hand);
      visible.push({
        id: a.id,
        x: a.pose.x,
        y: a.pose.y,
        px: p.x,
        py: p.y,
        hand: hand === undefined || hp === undefined ? undefined : { ...hand, px: hp.x, py: hp.y },
      });
    }
    return { jpeg, visible };
  }
}
