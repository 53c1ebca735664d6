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

function asArray(buffer, Type) {
  // a binary buffer arrives as a DataView (or an ArrayBuffer)
  if (!buffer) return new Type(0);
  if (buffer instanceof ArrayBuffer) return new Type(buffer);
  return new Type(buffer.buffer, buffer.byteOffset, buffer.byteLength / Type.BYTES_PER_ELEMENT);
}

export function drawFrame(canvas, frame) {
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(frame.width * ratio)) {
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
      if (opaque(op) && (!op.fill || !op.stroke || op.fill === op.stroke)) {
        // one path for all, painted once: where opaque markers of one colour overlap, the order
        // of their fills and edges cannot show (per marker, 1500 paints for a long optimizer run)
        const all = new Path2D();
        for (let j = 0; j < op.count; j++) {
          path2d(codes, vertices, op.c, op.v, op.n, vertices[op.at + 2 * j], vertices[op.at + 2 * j + 1], all);
        }
        paint(ctx, op, all);
      } else {  // translucent markers darken where they overlap: each painted on its own
        for (let j = 0; j < op.count; j++) {
          const x = vertices[op.at + 2 * j], y = vertices[op.at + 2 * j + 1];
          paint(ctx, op, path2d(codes, vertices, op.c, op.v, op.n, x, y));
        }
      }
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
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(scratch, op.x, op.y);
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
