// The explorers' figure in the page: replays the drawing calls matplotlib made in the kernel
// (helpers/widgets/_view.py, RecordingRenderer) on a <canvas>.  One module for every explorer:
// paths (lines, bars, markers, ticks, spines, contours), text and RGBA images.  A frame is
// drawn in one synchronous call, so the page never shows half a picture.

function path2d(codes, vertices, c, v, n, dx = 0, dy = 0, p = new Path2D()) {
  // matplotlib's codes as _view.py sends them: 1 move, 2 line, 3 quadratic, 4 cubic, 5 close;
  // added to the Path2D p (a new one if not given)
  let k = v;
  for (let i = 0; i < n; i++) {
    const code = codes[c + i];
    const x = vertices[k] + dx, y = vertices[k + 1] + dy;
    if (code === 1) p.moveTo(x, y);
    else if (code === 2) p.lineTo(x, y);
    else if (code === 3) {  // the control point, then the end point (two vertices, two codes)
      p.quadraticCurveTo(x, y, vertices[k + 2] + dx, vertices[k + 3] + dy);
      k += 2; i += 1;
    } else if (code === 4) {
      p.bezierCurveTo(x, y, vertices[k + 2] + dx, vertices[k + 3] + dy, vertices[k + 4] + dx, vertices[k + 5] + dy);
      k += 4; i += 2;
    } else if (code === 5) p.closePath();
    k += 2;
  }
  return p;
}

function clip(ctx, op) {
  if (op.clip) {
    ctx.beginPath();
    ctx.rect(op.clip[0], op.clip[1], op.clip[2], op.clip[3]);
    ctx.clip();
  }
}

function paint(ctx, op, p) {
  if (op.fill) { ctx.fillStyle = op.fill; ctx.fill(p); }
  if (op.stroke) {
    ctx.strokeStyle = op.stroke;
    ctx.lineWidth = op.lw;
    ctx.lineCap = op.cap;
    ctx.lineJoin = op.join;
    ctx.setLineDash(op.dash || []);
    ctx.lineDashOffset = op.dashOffset || 0;
    ctx.stroke(p);
  }
}

function opaque(op) {
  // _view.py's colours are "rgba(r,g,b,a)": opaque when a is 1 (or nothing is painted)
  const solid = (colour) => !colour || colour.endsWith(",1)");
  return solid(op.fill) && solid(op.stroke);
}

// Marker stamps of the frames drawn so far, by marker shape and style: the same few markers
// come back in every frame, and making one costs about 0.2 ms.
const sprites = new Map();

function markerSprite(op, codes, vertices, ratio) {
  // the marker painted once, fill and edge, on a canvas of its own: [canvas, x and y of the
  // marker's centre in it, in device pixels]
  const shape = vertices.subarray(op.v, op.v + 2 * op.n);
  const key = [op.fill, op.stroke, op.lw, op.cap, op.join, op.dash, op.dashOffset, ratio,
               codes.subarray(op.c, op.c + op.n).join(), shape.join()].join("|");
  if (sprites.has(key)) return sprites.get(key);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let k = 0; k < shape.length; k += 2) {  // control points bound the curves
    x0 = Math.min(x0, shape[k]); x1 = Math.max(x1, shape[k]);
    y0 = Math.min(y0, shape[k + 1]); y1 = Math.max(y1, shape[k + 1]);
  }
  const pad = (op.stroke ? op.lw / 2 : 0) + 1;
  const left = Math.floor((x0 - pad) * ratio), top = Math.floor((y0 - pad) * ratio);
  const sprite = document.createElement("canvas");
  sprite.width = Math.max(1, Math.ceil((x1 + pad) * ratio) - left);
  sprite.height = Math.max(1, Math.ceil((y1 + pad) * ratio) - top);
  const sctx = sprite.getContext("2d");
  sctx.setTransform(ratio, 0, 0, ratio, -left, -top);
  paint(sctx, op, path2d(codes, vertices, op.c, op.v, op.n));
  if (sprites.size >= 256) sprites.clear();
  sprites.set(key, [sprite, -left, -top]);
  return sprites.get(key);
}

function drawMarkers(ctx, op, codes, vertices, ratio) {
  // As matplotlib's Agg draws markers: the marker is rasterized once and stamped at every
  // point, each put on a whole pixel. Painting every marker's curves took 28 of the 37 ms of
  // an optimizer frame at 400 iterations. An opaque stamp hides every earlier one on its
  // pixel, so only the last there is drawn: a converged run piles hundreds of steps on a few
  // pixels (at 400 iterations, 2018 markers on 325 pixels). Translucent stamps are all drawn:
  // they darken where they overlap, as markers painted one by one do.
  if (op.count === 0) return;
  const [sprite, cx, cy] = markerSprite(op, codes, vertices, ratio);
  // plain numbers, not an Int32Array: a diverging run's far points must stay far (an int32
  // would wrap 2**32 pixels to 0, onto the plot)
  const xs = new Array(op.count), ys = new Array(op.count);
  for (let j = 0; j < op.count; j++) {
    xs[j] = Math.round(vertices[op.at + 2 * j] * ratio);
    ys[j] = Math.round(vertices[op.at + 2 * j + 1] * ratio);
  }
  let shown = null;  // opaque markers: the last one on each pixel
  if (opaque(op)) {
    const last = new Map();
    for (let j = 0; j < op.count; j++) last.set(xs[j] + "," + ys[j], j);
    shown = new Set(last.values());
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);  // device pixels: the stamps land on whole pixels
  for (let j = 0; j < op.count; j++) {
    if (shown === null || shown.has(j)) ctx.drawImage(sprite, xs[j] - cx, ys[j] - cy);
  }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
}

function asArray(buffer, Type) {
  // a binary buffer arrives as a DataView (or an ArrayBuffer)
  if (!buffer) return new Type(0);
  if (buffer instanceof ArrayBuffer) return new Type(buffer);
  return new Type(buffer.buffer, buffer.byteOffset, buffer.byteLength / Type.BYTES_PER_ELEMENT);
}

export function drawFrame(canvas, frame) {
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(frame.width * ratio) || canvas.height !== Math.round(frame.height * ratio)) {
    canvas.width = Math.round(frame.width * ratio);
    canvas.height = Math.round(frame.height * ratio);
    canvas.style.width = frame.width + "px";
    canvas.style.height = frame.height + "px";
  }
  const vertices = asArray(frame.vertices, Float32Array);
  const codes = asArray(frame.codes, Uint8Array);
  const pixels = asArray(frame.pixels, Uint8ClampedArray);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, frame.width, frame.height);
  for (const op of frame.ops) {
    ctx.save();
    clip(ctx, op);
    if (op.op === "path") {
      paint(ctx, op, path2d(codes, vertices, op.c, op.v, op.n));
    } else if (op.op === "markers") {
      drawMarkers(ctx, op, codes, vertices, ratio);
    } else if (op.op === "text") {
      ctx.font = op.font;
      ctx.fillStyle = op.fill;
      ctx.textBaseline = "alphabetic";
      ctx.textAlign = "left";
      ctx.translate(op.x, op.y);
      if (op.angle) ctx.rotate(-op.angle * Math.PI / 180);
      ctx.fillText(op.s, 0, 0);
    } else if (op.op === "image") {
      const scratch = document.createElement("canvas");
      scratch.width = op.w;
      scratch.height = op.h;
      const data = new ImageData(pixels.slice(op.at, op.at + op.w * op.h * 4), op.w, op.h);
      scratch.getContext("2d").putImageData(data, 0, 0);
      ctx.globalAlpha = op.alpha;
      ctx.imageSmoothingEnabled = false;  // nearest neighbour, as Agg scales "none" and "nearest"
      if (op.matrix) {  // the image's own pixels, placed and scaled by matplotlib's affine map
        ctx.transform(...op.matrix);
        ctx.drawImage(scratch, 0, 0);
      } else {
        ctx.drawImage(scratch, op.x, op.y);
      }
    }
    ctx.restore();
  }
}

function render({ model, el }) {
  const canvas = document.createElement("canvas");
  canvas.className = "explorer-view";
  canvas.style.display = "block";
  el.appendChild(canvas);
  const draw = () => {
    const frame = model.get("frame");
    if (frame && frame.ops) {
      drawFrame(canvas, frame);
      canvas.dataset.frame = String(frame.n);
    }
  };
  model.on("change:frame", draw);
  draw();
  canvas.addEventListener("mousedown", (event) => {
    const box = canvas.getBoundingClientRect();
    model.send({ type: "click", x: event.clientX - box.left, y: event.clientY - box.top });
  });
  return () => model.off("change:frame", draw);
}

export default { render };
