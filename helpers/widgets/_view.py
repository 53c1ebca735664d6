"""The explorers' live figure in the browser: matplotlib's drawing calls, replayed on a <canvas>.

An explorer's figure stays a matplotlib figure (its data, every artist, the static PNG), but
the page does not receive a PNG per change.  On each change ``FigureView.show`` draws the
figure once into a :class:`RecordingRenderer`, a matplotlib renderer (the public interface
every backend implements: ``draw_path``, ``draw_markers``, ``draw_text``, ``draw_image``)
that rasterizes nothing and only writes each call down: paths as float32 vertices in canvas
pixels, text as strings with their font and position (measured by Agg, so the layout is
matplotlib's), images as RGBA bytes.  That display list is one message to the page
(``frame``: a short JSON list of operations and three binary buffers), and the page's
``view.js`` (one drawing module for every explorer, shipped in this package: no network)
replays it on a <canvas> in one synchronous function, so a picture is always whole.

Compared with ipympl (Agg render, PNG encode, PNG decode and ``toDataURL`` per change) the
kernel skips rasterizing text and lines and the encode; the page skips the decode.
``docs/widgets.md`` gives the measured figures.

Most of a figure stays as it was from one change to the next (a contour plot's axes, the
spines, the colour keys, the lines a control does not move), and matplotlib's Python is
most of what a recording costs. Each artist of an explorer's axes is drawn by a
:class:`DrawnOnce` in its place (:func:`draw_once`): while it is unchanged (not stale, and
placed where it was: same limits, box, scale), the calls it made last time are replayed.
"""

import functools
import inspect
import pathlib
from contextlib import contextmanager

import anywidget
import numpy as np
import traitlets
from matplotlib.artist import Artist
from matplotlib.axis import Axis
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.spines import Spine
from matplotlib.text import Annotation, Text
from matplotlib.backend_bases import MouseEvent, RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.path import Path
from matplotlib.transforms import Affine2D

#: Path codes as the page reads them (matplotlib's: MOVETO 1, LINETO 2, CURVE3 3, CURVE4 4, CLOSEPOLY 79).
_CODES = {Path.MOVETO: 1, Path.LINETO: 2, Path.CURVE3: 3, Path.CURVE4: 4, Path.CLOSEPOLY: 5, Path.STOP: 0}
_CODE_TABLE = np.zeros(256, np.uint8)
for _code, _value in _CODES.items():
    _CODE_TABLE[_code] = _value
_CAPS = {"butt": "butt", "round": "round", "projecting": "square"}
#: matplotlib 3.11 added hatch colours to the collection generator (3.8 to 3.10 have none).
_ITERATES_HATCH_COLOURS = "hatchcolors" in inspect.signature(RendererBase._iter_collection).parameters


def _css(rgba):
    """A CSS colour for an RGBA tuple of floats in [0, 1] (None: nothing drawn)."""
    if rgba is None:
        return None
    return _css_of(*(tuple(rgba) + (1.0,))[:4])


@functools.lru_cache(maxsize=4096)
def _css_of(r, g, b, a):
    """``_css`` of one colour, kept: a frame asks for the same few colours hundreds of times."""
    if a <= 0:
        return None
    return f"rgba({round(r * 255)},{round(g * 255)},{round(b * 255)},{a:.4g})"


class RecordingRenderer(RendererBase):
    """A matplotlib renderer that writes every drawing call down instead of rasterizing it.

    Coordinates are canvas pixels, x to the right and y downwards from the top left (the
    page's convention), for a figure of ``width`` x ``height`` pixels.  ``operations`` is
    the list of calls (dicts), ``vertices`` (float32, x y pairs) and ``codes`` (uint8) the
    paths they index into, ``pixels`` the images' RGBA bytes.  Text is measured by an Agg
    renderer at the same dpi, so matplotlib lays it out exactly as in its PNG.
    """

    def __init__(self, width, height, dpi, measure):
        super().__init__()
        self.width, self.height, self.dpi = width, height, dpi
        self._measure = measure
        self.reset()

    def reset(self):
        """Forget the calls written down (the renderer is reused: matplotlib keeps each text's
        layout per renderer, so a new renderer per frame would measure every text again)."""
        self.operations = []
        self._vertices, self._codes, self._pixels = [], [], []
        self._vertex_count = self._code_count = self._pixel_count = 0

    @contextmanager
    def capture(self):
        """The calls made inside the ``with`` block, written into a piece of their own (a dict:
        operations and the vertices, codes and pixels they index) for :meth:`replay`."""
        kept = (self.operations, self._vertices, self._codes, self._pixels,
                self._vertex_count, self._code_count, self._pixel_count)
        self.reset()
        piece = {}
        try:
            yield piece
        finally:
            piece.update(operations=self.operations, vertices=_joined(self._vertices, np.float32),
                         codes=_joined(self._codes, np.uint8), pixels=_joined(self._pixels, np.uint8))
            (self.operations, self._vertices, self._codes, self._pixels,
             self._vertex_count, self._code_count, self._pixel_count) = kept

    def replay(self, piece):
        """Write down again the calls of a piece made by :meth:`capture`, as if made now."""
        vertex, code, pixel = self._vertex_count, self._code_count, self._pixel_count
        for operation in piece["operations"]:
            operation = dict(operation)
            if "v" in operation:  # paths and markers index vertices and codes; markers' "at" too
                operation["v"] += vertex
                operation["c"] += code
                if "at" in operation:
                    operation["at"] += vertex
            elif "at" in operation:  # images index pixels
                operation["at"] += pixel
            self.operations.append(operation)
        for buffer, part in ((self._vertices, "vertices"), (self._codes, "codes"), (self._pixels, "pixels")):
            buffer.append(piece[part])
        self._vertex_count += piece["vertices"].size
        self._code_count += piece["codes"].size
        self._pixel_count += piece["pixels"].size

    # ---------------------------------------------------------------- what matplotlib asks
    def get_canvas_width_height(self):
        return self.width, self.height

    def get_text_width_height_descent(self, s, prop, ismath):
        return self._measure.get_text_width_height_descent(s, prop, ismath)

    def points_to_pixels(self, points):
        return points * self.dpi / 72

    def option_image_nocomposite(self):
        return True  # each image drawn on its own

    def option_scale_image(self):
        # An image shown with interpolation="none" then comes as its own pixels with the affine
        # map that places it (matplotlib's unsampled path, as for SVG); the page scales it
        # (nearest neighbour, which is what Agg does for "none").  The perceptron's heat map is
        # 101 x 101 pixels (41 kB) instead of the 238 kB of the axes' pixels.
        return True

    # ---------------------------------------------------------------- the calls written down
    def _path(self, path, transform, flip=True):
        """(first vertex, vertex count, first code) of ``path`` under ``transform``, stored."""
        return self._store_cleaned(*self._cleaned(path, transform), flip)

    @staticmethod
    def _cleaned(path, transform):
        """``path``'s vertices under ``transform`` (matplotlib's pixels, y up) and the page's codes."""
        cleaned = path.cleaned(transform=transform, remove_nans=True, curves=True)
        codes = cleaned.codes
        if codes is None:
            codes = np.full(len(cleaned.vertices), Path.LINETO, np.uint8)
            codes[:1] = Path.MOVETO
        codes = _CODE_TABLE[np.asarray(codes, np.uint8)]
        keep = codes != 0  # STOP ends a cleaned path
        return cleaned.vertices[keep], codes[keep]

    def _store_cleaned(self, vertices, codes, flip=True, offset=(0.0, 0.0)):
        """Store vertices from :meth:`_cleaned`, moved by ``offset`` (pixels), in the page's y."""
        moved = vertices + offset
        closing = codes == 5  # a close's vertex is not a point (cleaned paths give it as 0, 0): not moved
        moved[closing] = vertices[closing]
        vertices = moved.astype(np.float32)  # a copy of its own, changed in place
        if flip:
            vertices[:, 1] = self.height - vertices[:, 1]
        else:  # a marker's shape around its centre: only the direction of y flips
            vertices[:, 1] *= -1
        return self._store_path(vertices, codes)

    def _store_path(self, vertices, codes):
        where = (self._vertex_count, len(codes), self._code_count)
        self._vertices.append(vertices.ravel())
        self._codes.append(codes)
        self._vertex_count += vertices.size
        self._code_count += len(codes)
        return where

    def _style(self, gc, fill=None):
        """The stroke, fill, line width, dashes and clip of graphics context ``gc``."""
        rgba = gc.get_rgb()
        forced = gc.get_forced_alpha()
        alpha = gc.get_alpha() if forced or len(rgba) == 3 else rgba[3]
        style = {"stroke": _css((*rgba[:3], alpha)) if gc.get_linewidth() > 0 else None,
                 "lw": self.points_to_pixels(gc.get_linewidth())}
        if fill is not None:
            fill = tuple(fill)
            fill_alpha = gc.get_alpha() if forced or len(fill) == 3 else fill[3]
            style["fill"] = _css((*fill[:3], fill_alpha))
        offset, dashes = gc.get_dashes()
        if dashes is not None and len(dashes):
            style["dash"] = [float(self.points_to_pixels(d)) for d in dashes]
            style["dashOffset"] = float(self.points_to_pixels(offset or 0))
        style["cap"] = _CAPS.get(gc.get_capstyle(), "butt")
        style["join"] = gc.get_joinstyle()
        clip = gc.get_clip_rectangle()
        if clip is not None:
            x0, y0, x1, y1 = clip.extents
            style["clip"] = [float(x0), float(self.height - y1), float(x1 - x0), float(y1 - y0)]
        return style

    def draw_path(self, gc, path, transform, rgbFace=None):
        style = self._style(gc, rgbFace)
        if style["stroke"] is None and style.get("fill") is None:
            return
        self._add_path(style, *self._cleaned(path, transform))

    def _add_path(self, style, vertices, codes, offset=(0.0, 0.0)):
        """Write down a path operation: cleaned ``vertices`` and ``codes`` moved by ``offset``."""
        first, count, code = self._store_cleaned(vertices, codes, offset=offset)
        self.operations.append({"op": "path", "v": first, "n": count, "c": code, **style})

    def draw_path_collection(self, gc, master_transform, paths, all_transforms, *rest, hatchcolors=None):
        """Every element of a collection written down as :meth:`draw_path` writes a path.

        Which path, offset, colours and line style each element gets is decided by
        matplotlib's own generators (``_iter_collection_raw_paths``, ``_iter_collection``: the
        backend interface asks backends to use them); what this adds to matplotlib's default
        loop is that each distinct path is transformed once and an element's offset is added
        to its vertices, instead of a new transform and a new ``cleaned`` path per element.
        The dropout explorer's network diagram (88 lines, 19 units) and training points (100)
        were three quarters of its recording.
        """
        distinct = [self._cleaned(path, transform)
                    for path, transform in self._iter_collection_raw_paths(master_transform, paths, all_transforms)]
        hatch = {"hatchcolors": [] if hatchcolors is None else hatchcolors} if _ITERATES_HATCH_COLOURS else {}
        for x_offset, y_offset, index, element_gc, fill in self._iter_collection(
                gc, list(range(len(distinct))), *rest, **hatch):
            style = self._style(element_gc, fill)
            if style["stroke"] is None and style.get("fill") is None:
                continue
            self._add_path(style, *distinct[index], offset=(x_offset, y_offset))

    def draw_markers(self, gc, marker_path, marker_trans, path, trans, rgbFace=None):
        style = self._style(gc, rgbFace)
        if style["stroke"] is None and style.get("fill") is None:
            return
        first, count, code = self._path(marker_path, marker_trans, flip=False)
        at = np.asarray(trans.transform(path.vertices), np.float32)
        at = at[np.isfinite(at).all(axis=1)]
        at[:, 1] = self.height - at[:, 1]
        where, _, _ = self._store_path(at, np.zeros(0, np.uint8))
        self.operations.append({"op": "markers", "v": first, "n": count, "c": code, "at": where,
                                "count": len(at), **style})

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        # y arrives from the top (flipy): matplotlib has placed the text's baseline there
        if ismath:
            s = s.replace("$", "")
        weight = prop.get_weight()
        weight = weight if isinstance(weight, int) else {"bold": 700, "heavy": 800, "semibold": 600,
                                                          "light": 300}.get(weight, 400)
        size = self.points_to_pixels(prop.get_size_in_points())
        rgba = gc.get_rgb()
        alpha = gc.get_alpha() if gc.get_forced_alpha() or len(rgba) == 3 else rgba[3]
        operation = {"op": "text", "x": float(x), "y": float(y), "s": s, "angle": float(angle),
                     "font": f"{prop.get_style()} {weight} {size:.2f}px 'DejaVu Sans', sans-serif",
                     "fill": _css((*rgba[:3], alpha))}
        clip = gc.get_clip_rectangle()
        if clip is not None:
            x0, y0, x1, y1 = clip.extents
            operation["clip"] = [float(x0), float(self.height - y1), float(x1 - x0), float(y1 - y0)]
        self.operations.append(operation)

    def draw_image(self, gc, x, y, im, transform=None):
        rows, columns = im.shape[:2]
        alpha = gc.get_alpha()
        operation = {"op": "image", "w": columns, "h": rows, "at": self._pixel_count,
                     "alpha": 1.0 if alpha is None else float(alpha)}
        if transform is None:  # resampled to device pixels, bottom row first, lower left corner at x, y
            im = im[::-1]
            operation.update(x=float(x), y=float(self.height - y - rows))
        else:  # [a, b, c, d, e, f] of the page's setTransform: image pixels to the page's pixels
            to_page = (Affine2D().scale(1 / columns, 1 / rows) + transform
                       + Affine2D().translate(x, y).scale(1, -1).translate(0, self.height))
            (a, c, e), (b, d, f), _ = to_page.get_matrix()
            operation["matrix"] = [float(a), float(b), float(c), float(d), float(e), float(f)]
        clip = gc.get_clip_rectangle()
        if clip is not None:
            x0, y0, x1, y1 = clip.extents
            operation["clip"] = [float(x0), float(self.height - y1), float(x1 - x0), float(y1 - y0)]
        im = np.ascontiguousarray(im, np.uint8)
        self._pixels.append(im.ravel())
        self._pixel_count += im.size
        self.operations.append(operation)

    # ---------------------------------------------------------------- the message
    def frame(self):
        """The display list as the page reads it: operations and three binary buffers."""
        return {"width": self.width, "height": self.height, "ops": self.operations,
                "vertices": _joined(self._vertices, np.float32).tobytes(),
                "codes": _joined(self._codes, np.uint8).tobytes(),
                "pixels": _joined(self._pixels, np.uint8).tobytes()}


def _joined(parts, dtype):
    """One flat array of ``dtype`` from a list of arrays."""
    return (np.concatenate(parts) if parts else np.zeros(0, dtype)).astype(dtype, copy=False)


def axis_key(axis):
    """What an axis's drawing depends on besides its being stale: its limits, place, scale,
    ticks, tick labels and label."""
    major, minor = axis.get_majorticklocs(), axis.get_minorticklocs()
    return (tuple(axis.get_view_interval()), axis.axes.bbox.bounds, axis.get_scale(), axis.get_visible(),
            tuple(major), tuple(axis.major.formatter.format_ticks(major)), tuple(minor),
            axis.major.formatter.get_offset(), axis.label.get_text(), tuple(axis.label.get_position()))


def placement_key(artist):
    """What the drawing of an artist in an axes depends on besides its being stale: where its
    transform puts it (the affine part: limits, box and dpi), its axes' scales and box (the clip)."""
    axes = artist.axes
    return (artist.get_transform().get_matrix().tobytes(), axes.get_xscale(), axes.get_yscale(),
            axes.bbox.bounds)


def annotation_key(annotation):
    """``placement_key`` of an annotation, and where its axes' data coordinates are: the point
    it annotates is placed at draw time, outside its own transform."""
    return placement_key(annotation), annotation.axes.transData.get_matrix().tobytes()


class DrawnOnce(Artist):
    """Draws ``artist`` in its place in the z-order, replaying its recorded calls while it is unchanged.

    The artist is set *animated* (matplotlib's public way of saying "its axes do not draw it,
    someone else does", as in blitting), and this artist, added to the same axes with the
    artist's z-order, draws it instead. On a :class:`RecordingRenderer` the calls the artist
    made are kept with ``key(artist)`` (:func:`axis_key`, :func:`placement_key`) and replayed
    while the artist is not stale and the key is the same; ``key=None`` draws it every time.
    Any other renderer (Agg for a test's pixels) gets the artist drawn as usual.  While a
    figure is saved (the static PNG) its axes draw their animated artists themselves, and
    this one draws nothing.

    ``fixed=True`` says the artist never changes once made, only where it is and whether it
    shows (a landscape's contour lines): its recorded calls are kept while it is hidden and
    replayed when it shows again, although showing it marks it stale.
    """

    def __init__(self, artist, key, fixed=False):
        super().__init__()
        self.artist, self.key, self.fixed = artist, key, fixed
        artist.set_animated(True)
        self._kept = None  # (renderer, key, piece)

    @property
    def zorder(self):
        """The artist's z-order, as it is now (axes sort their artists by this attribute)."""
        return self.artist.zorder

    def draw(self, renderer):
        axes = self.artist.axes
        if isinstance(self.artist, Axis) and not axes.axison:
            return  # set_axis_off(): matplotlib's Axes.draw leaves its axes out too ...
        if isinstance(self.artist, Spine) and not (axes.axison and axes.get_frame_on()):
            return  # ... and its spines, as it does without a frame
        if not isinstance(renderer, RecordingRenderer):
            if not self.artist.figure.canvas.is_saving():
                self.artist.draw(renderer)
            return
        if not self.artist.get_visible():
            return  # a hidden artist draws nothing; what it drew is kept for when it shows again
        if self.key is None:
            self.artist.draw(renderer)
            return
        changed = self.artist.stale and not self.fixed
        fresh = changed or self._kept is None or self._kept[0] is not renderer
        key = self.key(self.artist)
        if fresh or self._kept[1] != key:
            with renderer.capture() as piece:
                self.artist.draw(renderer)
            self._kept = (renderer, key, piece)
        renderer.replay(self._kept[2])


def replay_key(artist):
    """The key a :class:`DrawnOnce` of ``artist`` compares, or None: drawn every time.

    Axes (ticks and labels), lines, patches (spines included) and texts draw from their own
    properties, which matplotlib marks stale when one changes, and from where their
    transform puts them. Images, collections and inset axes are drawn every time (an
    explorer that keeps one, such as the optimizer's contour sets, gives it its own
    ``DrawnOnce``).
    """
    if isinstance(artist, Axis):
        return axis_key
    if isinstance(artist, Annotation):
        return annotation_key
    if isinstance(artist, (Line2D, Patch, Text)):
        return placement_key
    return None


def draw_once(axes):
    """Draw every artist of ``axes`` (a list of Axes: an explorer's, once laid out) by a
    :class:`DrawnOnce` with its :func:`replay_key`.

    All of an axes' artists are drawn so, in the order the axes would draw them, so that
    artists of the same z-order keep their order (a new artist is drawn after them); each
    axes' background (``axes.patch``) is drawn by the axes itself, before its artists.
    Artists already animated (an explorer's own ``DrawnOnce``) are left as they are.
    """
    for ax in axes:
        for artist in ax.get_children():
            if artist is not ax.patch and not artist.get_animated():
                ax.add_artist(DrawnOnce(artist, replay_key(artist)))


class FigureView(anywidget.AnyWidget):
    """The live view of a matplotlib ``figure`` in the page (see the module's docstring).

    ``show()`` sends the figure as it is now; a click on the canvas reaches the figure's
    ``button_press_event`` callbacks as a matplotlib ``MouseEvent`` (data coordinates
    included), as with any interactive backend.  ``frame`` is what the page was last sent
    (tests read it); ``frames`` counts them.
    """

    _esm = pathlib.Path(__file__).with_name("view.js")
    frame = traitlets.Dict().tag(sync=True)
    frames = traitlets.Int(0).tag(sync=True)

    def __init__(self, figure, lock, **kwargs):
        super().__init__(**kwargs)
        self.figure = figure
        self._lock = lock
        width, height = figure.canvas.get_width_height(physical=True)
        self._renderer = RecordingRenderer(width, height, figure.dpi, RendererAgg(width, height, figure.dpi))
        self.on_msg(self._on_message)

    def record(self):
        """The figure drawn into a new :class:`RecordingRenderer` (its frame, not yet sent)."""
        with self._lock:
            self._renderer.reset()
            self.figure.draw(self._renderer)
            return self._renderer.frame()

    def show(self):
        """Send the figure as it is now to the page (one message)."""
        frame = self.record()
        with self.hold_sync():
            self.frames += 1
            self.frame = {**frame, "n": self.frames}

    def _on_message(self, _widget, content, _buffers):
        if content.get("type") != "click":
            return
        # the page counts y downwards from the top, matplotlib upwards from the bottom
        event = MouseEvent("button_press_event", self.figure.canvas, float(content["x"]),
                           self.figure.bbox.height - float(content["y"]), button=1)
        self.figure.canvas.callbacks.process("button_press_event", event)
