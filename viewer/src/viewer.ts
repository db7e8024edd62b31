/**
 * The Viewer: the scene of one run (replay or live) and its animation loop, the page's controls
 * and panels. main.ts builds it; viewer-search.ts, viewer-export.ts and viewer-url.ts hold its
 * search, export and URL parts.
 */
import * as THREE from 'three';
import { Stage } from './scene.js';
import { addRoads } from './road-scene.js';
import { VehicleLayer } from './vehicles.js';
import { SignalLayer } from './signals-view.js';
import { SignalTimeline } from './signal-timeline.js';
import { EntityLayer } from './entities.js';
import { PulseLayer, type WarningEvent } from './pulses.js';
import { WarningHeatLayer } from './warning-heat.js';
import { DeliveryRatioLayer } from './delivery-ratio.js';
import type { TimeChart } from './charts.js';
import { buildCharts, renderHeader } from './page-header.js';
import { EntityView, interpolateFrames } from './interpolate.js';
import { Player, SPEEDS, formatClock } from './player.js';
import { TripInfo, renderDetails, renderSiteDetails, rerouteHtml } from './details.js';
import { currentError, showError } from './errors.js';
import { signalHeads } from './road-geometry.js';
import type { LogisticsData } from './logistics-data.js';
import { LogisticsLayer } from './logistics-view.js';
import type { PerceptionData } from './perception-data.js';
import { PerceptionLayer } from './perception-view.js';
import { IncidentSelection } from './viewer-perception.js';
import { presentLayers } from './viewer-layers.js';
import { onKey } from './viewer-keys.js';
import { hitAt } from './viewer-pick.js';
import { LabelLayer } from './labels.js';
import { legendHtml } from './legend.js';
import { defaultLayers, isLayer, type LayerId, type LayerState } from './layers.js';
import { COVERAGE_LEVELS, parseCoverage } from './rsu-coverage.js';
import { IntervalTable } from './interval-table.js';
import { MapPicker, type MapHit } from './map-pick.js';
import { EDGE_MEASURES, EdgeColourLayer } from './edge-colours.js';
import { renderJunction } from './junction-panel.js';
import { SignalLog } from './signal-log.js';
import { renderEdge } from './edge-panel.js';
import { LineBuffer } from './line-buffer.js';
import { RouteLayer } from './route-layer.js';
import { FpsMeter } from './fps-meter.js';
import { VehicleIndex, type VehicleEntry } from './vehicle-index.js';
import { webmType } from './export.js';
import { encodeState, type UrlState } from './url-state.js';
import type { Site } from './entities.js';
import type { ViewInput } from './view-input.js';
import { SELECTION } from './palette.js';

import { debug } from './debug-state.js';
import { applyLayer, installDebugHooks, publishFrameState } from './viewer-debug.js';
import { goToVehicle, searchVehicle, showRoute } from './viewer-search.js';
import { exportPng, exportWebm } from './viewer-export.js';
import { restoreUrlState, urlStateOf } from './viewer-url.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export class Viewer {
  readonly stage: Stage;
  readonly player: Player;
  readonly view = new EntityView(1024);
  readonly vehicles: VehicleLayer;
  readonly signals: SignalLayer | null;
  readonly timeline: SignalTimeline | null;
  readonly entities: EntityLayer | null;
  readonly pulses: PulseLayer;
  readonly charts: TimeChart[] = [];
  readonly trips = new TripInfo();
  /** pictures per second and frame times, shown on demand (`m`, or `?fps` in the URL) */
  readonly meter = new FpsMeter();
  /** orders, drone missions and van tours, once loaded after the first picture (null until then or without logistics) */
  logistics: LogisticsLayer | null = null;
  /** city events, cameras, blind spots and the platform's drones, once loaded after the first picture (null until then or without perception) */
  perception: PerceptionLayer | null = null;
  /** the city event selected and its panel */
  readonly incident = new IncidentSelection();
  readonly labels: LabelLayer;
  readonly layers: LayerState = defaultLayers();
  /** the RSU messages' delivery ratio by distance around each RSU, once v2x.csv is read (null: none) */
  pdr: DeliveryRatioLayer | null = null;
  /** where warnings were received, once events.ndjson is read (null: none in the run) */
  heat: WarningHeatLayer | null = null;
  /** measured RSU coverage radii by COVERAGE_LEVELS (null: no v2x.csv) */
  private coverage: number[] | null = null;
  /** edges.csv and junctions.csv, once loaded (null: not in the run) */
  private edgesTable: IntervalTable | null = null;
  private junctionsTable: IntervalTable | null = null;
  /** signals.csv, once loaded (null: not in the run): the junction panel's recorded switches */
  private signalLog: SignalLog | null = null;
  private readonly edgeColours: EdgeColourLayer;
  edgeMeasure = 'none';
  private readonly picker: MapPicker;
  /** the junction or edge clicked, or null */
  selectedMap: MapHit | null = null;
  private readonly mapHighlight: LineBuffer;
  private panelTime = NaN;
  /** vehicles by trace id and trip id (search) */
  readonly index = new VehicleIndex();
  /** a vehicle to select as soon as it is drawn (after a search or a restored URL jumped to its time) */
  pendingSelect: number | null = null;
  /** the selected road vehicle's route, driven and ahead */
  readonly route: RouteLayer;
  routeFor: number | null = null;
  private lastHash = '';
  private lastHashAt = -Infinity;
  /** the URL state to apply once what it names is loaded (the edge measure needs edges.csv) */
  private pendingRoads: string | null = null;
  selected: number | null = null;
  selectedSite: Site | null = null;
  private following = false;
  private readonly marker: THREE.Mesh;
  private seekStart: number | null = null;
  /** the time of the picture last drawn (−Infinity before the first; NaN: draw again) */
  drawnTime = -Infinity;
  private lastScale = 1;
  /** in live mode: keep showing the newest frame */
  followLive = false;
  /**
   * Draw at most this many pictures a second (null: at most one per animation frame). Live mode
   * sets it to the server's frame rate: the browser leaves the cores to the engine it watches.
   */
  maxFps: number | null = null;
  private lastLoopAt = -Infinity;
  /** the frame source's version when the last picture was drawn */
  private dataSeen = -1;
  /** called once, after the first picture with entities in it is drawn */
  onFirstDraw: (() => void) | null = null;
  /** the user moved the camera or changed what is shown since the last picture */
  private changed = true;
  constructor(readonly input: ViewInput) {
    const canvas = $<HTMLCanvasElement>('view');
    this.stage = new Stage(canvas, input.network.bbox, !input.live);
    // live on software WebGL: half the resolution, a quarter of the pixels to fill on the CPU the
    // engine needs (what a picture costs there is about half per pixel, half per draw)
    if (input.live && this.stage.softwareRenderer()) this.stage.setPixelRatio(0.5);
    debug.pixelRatio = this.stage.renderer.getPixelRatio();
    const roads = addRoads(this.stage, input.network);
    debug.lanes = roads.lanes;
    debug.junctions = roads.junctions;
    debug.roadTriangles = roads.triangles;
    this.vehicles = new VehicleLayer(this.stage, input.classes);
    if (input.signals) {
      this.timeline = new SignalTimeline(input.signals);
      this.signals = new SignalLayer(this.stage, signalHeads(input.network, input.signals.conns), this.timeline);
    } else {
      this.timeline = null;
      this.signals = null;
    }
    this.entities = input.entities ? new EntityLayer(this.stage, input.entities, input.network) : null;
    this.labels = new LabelLayer(this.stage, input.network, input.entities);
    this.edgeColours = new EdgeColourLayer(this.stage, input.network);
    this.picker = new MapPicker(input.network);
    this.mapHighlight = new LineBuffer('picked road', SELECTION, 1, this.stage);
    this.route = new RouteLayer(this.stage);
    this.pulses = new PulseLayer(this.stage, []);
    this.player = new Player(input.start, input.end);
    const ring = new THREE.RingGeometry(3.2, 4, 32).rotateX(-Math.PI / 2);
    this.marker = new THREE.Mesh(ring, new THREE.MeshBasicMaterial({ color: SELECTION, depthTest: false, transparent: true }));
    this.marker.renderOrder = 10;
    this.marker.visible = false;
    this.stage.scene.add(this.marker);
    debug.name = input.name;
    installDebugHooks(this);
    renderHeader(input);
    this.charts.push(...buildCharts(input, (t) => this.seek(t)));
    this.buildLegend();
    for (const l of Object.keys(this.layers) as LayerId[]) this.applyLayer(l);
    this.wireControls();
    if (new URLSearchParams(location.search).has('fps')) this.setMeter(true);
    this.stage.controls.addEventListener('change', () => (this.changed = true));
    for (const ev of ['pointerdown', 'pointerup', 'keydown', 'input', 'click', 'resize'] as const) window.addEventListener(ev, () => (this.changed = true), true);
  }

  /**
   * Whether there is anything new to draw: frames arrived, the user did something (camera, slider,
   * keys, a click), playback or a pulse is running. An unchanged picture is not drawn again: on
   * software WebGL each one costs tens of milliseconds of CPU, and the next change (a slider jump)
   * is drawn sooner when the renderer is idle.
   */
  private due(now: number): boolean {
    const v = this.input.source.version;
    if (v === this.dataSeen && !this.changed && !this.pulses.animating && !this.player.playing) return false;
    this.dataSeen = v;
    this.changed = false;
    this.lastLoopAt = now;
    return true;
  }

  /**
   * Calls `loop` at the next animation frame; with a frame-rate cap, not before 1/maxFps s
   * after the last picture (a timer, not 60 animation frames a second that draw nothing).
   */
  private schedule(loop: (now: number) => void): void {
    if (this.maxFps === null) {
      requestAnimationFrame(loop);
      return;
    }
    const wait = Math.max(0, this.lastLoopAt + 1000 / this.maxFps - performance.now());
    // nothing drawn last time (lastLoopAt old): look again a frame interval later, not at once
    setTimeout(() => requestAnimationFrame(loop), wait > 0 ? wait : 1000 / this.maxFps);
  }

  // ------------------------------------------------------------------ page furniture

  private buildLegend(): void {
    $('legend').innerHTML = legendHtml({
      classes: this.input.classes,
      layers: this.layers,
      present: presentLayers(this),
      entities: this.entities ? { ...this.entities.counts } : null,
      perception: this.perception ? { ...this.perception.debug } : null,
      coverage: this.coverage,
      deliveryRatio: this.pdr !== null,
      heat: this.heat ? { max: this.heat.grid.maxHeat, cell: this.heat.grid.cell, pool: this.heat.pool } : null,
      edgeMeasures: this.edgesTable ? EDGE_MEASURES.filter((m) => this.edgesTable!.header.includes(m)) : [],
      edgeMeasure: this.edgeMeasure,
      edgeRange: this.edgeColours.range,
    });
  }

  /** Shows or hides a layer (layers.ts) as `this.layers` says. */
  setLayer(id: LayerId, on: boolean): void {
    this.layers[id] = on;
    this.applyLayer(id);
    this.buildLegend();
    this.changed = true;
  }

  private applyLayer(id: LayerId): void {
    applyLayer(this, id);
  }

  /** The heat map of where the run's V2X warnings were received (warning-heat.ts), from events.ndjson's warnings, sorted by time. */
  setWarningHeat(warnings: WarningEvent[]): void {
    if (warnings.length === 0) return;
    this.heat = new WarningHeatLayer(this.stage, warnings, this.input.network.bbox);
    debug.warningHeat = { shown: false, applied: 0, maxHeat: this.heat.grid.maxHeat, pool: this.heat.pool };
    this.applyLayer('warningHeat');
    this.buildLegend();
    this.changed = true;
  }

  /** Warnings as they arrive in live mode: their pulses, and the heat map grows with them (made at the first). */
  addLiveWarnings(list: WarningEvent[]): void {
    for (const w of list) this.pulses.push(w);
    if (list.length === 0) return;
    const made = this.heat === null;
    this.heat ??= new WarningHeatLayer(this.stage, [], this.input.network.bbox);
    if (this.heat.append(list) || made) this.buildLegend();
    if (made) this.applyLayer('warningHeat');
    this.changed = true;
  }

  /** Draws the RSUs' measured coverage from the run's v2x.csv. */
  setCoverage(v2xCsv: string): void {
    const c = parseCoverage(v2xCsv);
    this.coverage = c.radii;
    this.entities?.setCoverage(COVERAGE_LEVELS.slice(0, 2).map((level, k) => ({ level, radius: c.radii[k] })));
    debug.coverage = c.radii;
    const rsus = this.input.entities?.rsus ?? [];
    if (rsus.length > 0 && c.bins.some((b) => b.sent > 0)) {
      this.pdr = new DeliveryRatioLayer(this.stage, rsus, c.bins);
      debug.deliveryRings = this.pdr.rings;
      this.applyLayer('deliveryRatio');
    }
    this.buildLegend();
    this.changed = true;
  }

  setCameraMode(mode: 'map' | 'orbit'): void {
    this.stage.setMode(mode);
    $('camera-mode').textContent = `view: ${mode}`;
    $('camera-mode').classList.toggle('on', mode === 'orbit');
    debug.cameraMode = mode;
    this.changed = true;
  }

  private wireControls(): void {
    const slider = $<HTMLInputElement>('slider');
    slider.min = String(this.player.start);
    slider.max = String(this.player.end);
    slider.step = 'any';
    slider.value = String(this.player.start);
    slider.addEventListener('input', () => this.seek(Number(slider.value)));
    $('play').addEventListener('click', () => this.togglePlay());
    const speed = $<HTMLSelectElement>('speed');
    speed.innerHTML = SPEEDS.map((s) => `<option value="${s}"${s === 1 ? ' selected' : ''}>${s}×</option>`).join('');
    speed.addEventListener('change', () => (this.player.speed = Number(speed.value)));
    $('search').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.search(($('search') as HTMLInputElement).value);
      e.stopPropagation(); // typing an id is not a shortcut
    });
    $('export-png').addEventListener('click', () => void exportPng(this));
    $('export-webm').addEventListener('click', () => void exportWebm(this, Number(($('export-from') as HTMLInputElement).value), Number(($('export-to') as HTMLInputElement).value)));
    ($('export-from') as HTMLInputElement).value = String(Math.round(this.player.start));
    ($('export-to') as HTMLInputElement).value = String(Math.round(Math.min(this.player.end, this.player.start + 60)));
    if (!webmType()) ($('export-webm') as HTMLButtonElement).disabled = true;
    $('camera-mode').addEventListener('click', () => this.setCameraMode(this.stage.mode === 'map' ? 'orbit' : 'map'));
    $('legend').addEventListener('change', (e) => {
      const el = e.target as HTMLInputElement;
      const id = el.dataset.layer;
      if (id && isLayer(id)) this.setLayer(id, el.checked);
      if (el.id === 'edge-measure') this.setEdgeMeasure(el.value);
    });
    $('follow').addEventListener('click', () => this.setFollow(!this.following));
    this.stage.canvas.addEventListener('pointerdown', (e) => (this.down = { x: e.clientX, y: e.clientY }));
    this.stage.canvas.addEventListener('pointerup', (e) => {
      // a click, not the end of an orbit drag
      if (this.down && Math.hypot(e.clientX - this.down.x, e.clientY - this.down.y) < 5) this.pick(e);
      this.down = null;
    });
    $('details').addEventListener('click', (e) => {
      const el = e.target as HTMLElement;
      if (el.id === 'details-close') this.select(null);
      else if (el.dataset.vehicle) {
        e.preventDefault();
        this.search(`#${el.dataset.vehicle}`);
      }
    });
    window.addEventListener('keydown', (e) =>
      onKey(e, {
        play: () => this.togglePlay(),
        step: (d) => this.seek(this.player.time + d * this.input.header.interval),
        speed: (d) => this.setSpeed(d),
        cameraMode: () => this.setCameraMode(this.stage.mode === 'map' ? 'orbit' : 'map'),
        home: () => {
          this.stage.home();
          this.changed = true;
        },
        follow: () => this.setFollow(!this.following),
        meter: () => this.setMeter(!this.meter.shown),
        escape: () => this.select(null),
      }),
    );
  }

  private down: { x: number; y: number } | null = null;

  /** Shows or hides the frame meter (fps-meter.ts). */
  setMeter(on: boolean): void {
    this.meter.setShown(on);
    if (!on) debug.meter = { ...debug.meter, shown: false };
  }

  private setSpeed(step: number): void {
    this.player.faster(step);
    $<HTMLSelectElement>('speed').value = String(this.player.speed);
  }

  togglePlay(): void {
    this.player.toggle();
    this.followLive = false;
  }

  private setFollow(on: boolean): void {
    this.changed = true;
    this.following = on && (this.selected !== null || this.selectedSite !== null);
    debug.following = this.following;
    if (this.following && this.selectedSite) this.followSelected(); // a site does not move: centre it now
    $('follow').classList.toggle('on', this.following);
  }

  seek(t: number): void {
    this.changed = true;
    this.player.seek(t);
    this.followLive = false;
    this.seekStart = performance.now();
    // ask for the two frames around t now, not at the next animation frame: one frame less of latency
    const i = this.input.source.indexAt(this.player.time);
    void this.input.source.request(i, i + 2);
  }

  private pick(e: PointerEvent): void {
    const hit = hitAt(this, this.picker, e.clientX, e.clientY);
    if (hit.kind === 'site') this.selectSite(hit.site);
    else if (hit.kind === 'incident') this.selectIncident(hit.index);
    else if (hit.kind === 'map') this.selectMap(hit.hit);
    else this.select(hit.kind === 'vehicle' ? hit.id : null);
  }

  /** Selects a moving entity by trace id (null: nothing selected). */
  select(id: number | null): void {
    this.changed = true;
    this.selected = id;
    this.selectedSite = null;
    this.selectedMap = null;
    this.incident.clear();
    this.mapHighlight.setPolylines([]);
    this.pendingSelect = null;
    showRoute(this, id);
    debug.selected = id;
    debug.selectedSite = null;
    debug.selectedMap = null;
    const panel = $('details');
    panel.hidden = id === null;
    if (id === null) {
      this.setFollow(false);
      this.marker.visible = false;
    } else this.renderSelected();
  }

  private renderSelected(): void {
    if (this.selected === null) return;
    renderDetails($('details'), this.selected, this.view, this.input.classes, this.trips, this.logistics?.data ?? null, this.player.time);
    const reroutes = this.index.find(`#${this.selected}`)?.reroutes ?? [];
    if (reroutes.length > 0) $('details').insertAdjacentHTML('beforeend', rerouteHtml(reroutes, this.player.time));
  }

  /** Adds the run's logistics (orders.csv and the events' missions and tours) to the picture. */
  setLogistics(data: LogisticsData): void {
    if (data.count === 0 && data.missions.size === 0 && data.tours.size === 0) return;
    this.logistics = new LogisticsLayer(this.stage, data, this.input.network.lanes);
    this.logistics.setVisible(this.layers.orders, this.layers.dronePaths);
    this.buildLegend();
    this.drawnTime = NaN; // draw them now
    this.changed = true;
  }

  /** Adds the run's perception platform (events.csv, perception.json, coverage.json) to the picture. */
  setPerception(data: PerceptionData): void {
    if (data.empty) return;
    this.perception = new PerceptionLayer(this.stage, data);
    for (const l of ['incidents', 'platformDrones', 'cameras', 'blindSpots', 'patrolRoutes'] as const) this.applyLayer(l);
    this.buildLegend();
    this.changed = true;
  }

  /** Selects a city event (index into perception.data.incidents): its loop in the panel, following the slider. */
  selectIncident(k: number): void {
    if (!this.perception?.data.incidents[k]) return;
    this.select(null);
    this.incident.select(this.perception, k, $('details'), this.player.time, this.marker, this.stage);
  }

  /** Selects a junction or an edge: its panel (signal program, edges.csv / junctions.csv rows), the road outlined. */
  selectMap(hit: MapHit): void {
    this.select(null);
    this.selectedMap = hit;
    debug.selectedMap = { kind: hit.kind, id: hit.id };
    $('details').hidden = false;
    const net = this.input.network;
    if (hit.kind === 'edge') {
      this.mapHighlight.setPolylines(net.lanes.filter((l) => l.edge === hit.id).map((l) => l.shape.flatMap(([x, y]) => [x, y, 0.4])));
    } else {
      const n = net.nodes.find((x) => x.id === hit.id)!;
      const ring: number[] = [];
      for (let k = 0; k <= 48; k++) ring.push(n.x + Math.cos((k / 48) * Math.PI * 2) * 14, n.y + Math.sin((k / 48) * Math.PI * 2) * 14, 0.4);
      this.mapHighlight.setPolylines([ring]);
    }
    this.renderMapPanel(this.player.time);
  }

  private renderMapPanel(t: number): void {
    const hit = this.selectedMap;
    if (!hit) return;
    this.panelTime = t;
    if (hit.kind === 'junction') renderJunction($('details'), hit.id, this.input.network, t, this.junctionsTable, this.signalLog);
    else renderEdge($('details'), hit.id, hit.lane, this.input.network, t, this.edgesTable);
  }

  /** The run's edges.csv and junctions.csv (either may be missing): the panels' rows and the road colours. */
  setTables(edges: string | null, junctions: string | null): void {
    this.edgesTable = edges ? new IntervalTable('edges.csv', edges, 'edge') : null;
    this.junctionsTable = junctions ? new IntervalTable('junctions.csv', junctions, 'junction') : null;
    debug.tables = { ...debug.tables, edges: this.edgesTable !== null, junctions: this.junctionsTable !== null };
    this.buildLegend();
    if (this.selectedMap) this.renderMapPanel(this.player.time);
    if (this.pendingRoads !== null) this.setEdgeMeasure(this.pendingRoads);
    this.pendingRoads = null;
    this.changed = true;
  }
  /** The run's signals.csv: the junction panel shows what the signals did, not the fixed-time clock. */
  setSignalLog(text: string): void {
    this.signalLog = new SignalLog(text);
    debug.tables = { ...debug.tables, signals: true };
    if (this.selectedMap) this.renderMapPanel(this.player.time);
    this.changed = true;
  }

  /** Finds a vehicle by trace id or trip id, goes to a time it is on the road if it is not now, and selects it. */
  search(query: string): VehicleEntry | null {
    return searchVehicle(this, query);
  }

  /** a vehicle to select, and whether to centre on it, as soon as it is drawn */
  goToVehicle(id: number, depart: number, arrival: number, centre: boolean): void {
    goToVehicle(this, id, depart, arrival, centre);
  }

  centreOnSelect = false;

  restore(s: UrlState): void {
    restoreUrlState(this, s);
  }

  private writeHash(now: number): void {
    if (now - this.lastHashAt < 250 || this.input.live) return;
    this.lastHashAt = now;
    const h = encodeState(urlStateOf(this));
    if (h === this.lastHash) return;
    this.lastHash = h;
    history.replaceState(null, '', `#${h}`);
  }

  /** Something changed that the next picture must show. */
  redraw(): void {
    this.changed = true;
  }

  /** The edge measure now if edges.csv is read, else once it is. */
  setEdgeMeasureWhenLoaded(measure: string): void {
    if (this.edgesTable) this.setEdgeMeasure(measure);
    else this.pendingRoads = measure;
  }

  /** Colours the roads by an edges.csv column ('none': the plain road grey). */
  setEdgeMeasure(measure: string): void {
    this.edgeMeasure = measure;
    this.edgeColours.update(this.edgesTable, measure, this.player.time);
    this.buildLegend();
    debug.edgeColours = { measure, coloured: this.edgeColours.coloured };
    this.changed = true;
  }

  /** Selects a static entity: its entities.json record in the panel, the marker on it. */
  selectSite(site: Site): void {
    this.changed = true;
    this.select(null);
    this.selectedSite = site;
    debug.selectedSite = { kind: site.kind, id: site.id };
    const panel = $('details');
    panel.hidden = false;
    renderSiteDetails(panel, site);
    this.followSelected();
  }

  // ------------------------------------------------------------------ the loop

  /** One animation frame: advance time, bring the needed frames, draw. */
  frame(now: number): void {
    const src = this.input.source;
    const n = src.frameCount();
    if (n === 0) {
      this.stage.render();
      return;
    }
    if (this.followLive) this.player.seek(src.timeOf(n - 1));
    const prevTime = this.player.time;
    const t = this.player.advance(now);
    const i = src.indexAt(t);
    const a = src.get(i);
    const b = i + 1 < n ? src.get(i + 1) : null;
    // read ahead in proportion to the playback speed (frames needed in the next ~2 s of wall time)
    const ahead = this.player.playing ? Math.min(120, Math.ceil((this.player.speed * 2) / this.input.header.interval)) : 0;
    void src.request(i, i + 2 + ahead);
    const scale = this.vehicleScale();
    if (a && (b || i + 1 >= n) && (t !== this.drawnTime || scale !== this.lastScale)) {
      interpolateFrames(a, b ?? null, t, this.view);
      this.vehicles.update(this.view, scale);
      this.lastScale = scale;
      this.drawnTime = t;
      debug.drawnTime = t;
      if ((this.player.playing || this.followLive) && t > prevTime) this.pulses.passed(prevTime, t, now);
      if (this.selected !== null) {
        this.renderSelected();
        this.followSelected();
      }
    }
    // after a search or a restored URL: also when the vehicle was already drawn at the time shown
    if (this.pendingSelect !== null && this.view.indexOf(this.pendingSelect) >= 0) {
      const id = this.pendingSelect;
      this.select(id);
      this.renderSelected();
      this.followSelected();
      if (this.centreOnSelect) {
        const k = this.view.indexOf(id);
        this.stage.lookAt(this.stage.sx(this.view.x[k]), this.stage.sz(this.view.y[k]), Math.min(this.stage.distance(), 600));
      }
    }
    this.updateRoute();
    this.logistics?.update(this.drawnTime, this.view, this.selected, scale);
    this.perception?.update(t, this.stage.metresPerPixel());
    if (this.perception) this.incident.follow(this.perception, $('details'), t);
    this.timeline?.seek(t);
    this.signals?.update(scale);
    this.entities?.update(t);
    const pool = this.heat?.pool;
    this.heat?.update(t, this.stage.metresPerPixel());
    if (this.heat && this.heat.pool !== pool) this.buildLegend();
    debug.warningHeat = this.heat ? { shown: this.heat.mesh.visible, applied: this.heat.grid.applied, maxHeat: this.heat.grid.maxHeat, pool: this.heat.pool } : null;
    this.entities?.setIconScale(this.stage.metresPerPixel());
    this.labels.update();
    const rangeBefore = this.edgeColours.range;
    this.edgeColours.update(this.edgesTable, this.edgeMeasure, t);
    if (this.edgeColours.range !== rangeBefore) this.buildLegend();
    debug.edgeColours = { measure: this.edgeMeasure, coloured: this.edgeColours.coloured };
    if (this.selectedMap && t !== this.panelTime) this.renderMapPanel(t);
    this.pulses.animate(now);
    this.stage.controls.update();
    const r0 = performance.now();
    this.stage.render();
    debug.renderMs = performance.now() - r0;
    debug.pictures++;
    if (a && this.seekStart !== null && Math.abs(this.drawnTime - t) < 1e-9) {
      debug.seekMs.push(performance.now() - this.seekStart);
      this.seekStart = null;
    }
    if (a && debug.openMs === null) {
      debug.openMs = performance.now();
      debug.ready = true;
      $('loading').hidden = true;
      this.onFirstDraw?.();
    }
    this.updatePanel(t, n);
  }

  /** Cuts the selected vehicle's route where it is drawn now (route-layer.ts). */
  private updateRoute(): void {
    const k = this.selected === null ? -1 : this.view.indexOf(this.selected);
    const at = k >= 0 ? { x: this.view.x[k], y: this.view.y[k] } : null;
    if (this.route.update(this.drawnTime, at)) debug.vehicleRoute = this.route.debug ? { ...this.route.debug } : null;
  }

  /** How much to enlarge vehicles so that a car stays about 4 pixels wide (in steps, to redraw rarely). */
  private vehicleScale(): number {
    const raw = (this.stage.metresPerPixel() * 4) / 1.8;
    return raw <= 1 ? 1 : Math.min(16, 2 ** (Math.round(Math.log2(raw) * 2) / 2));
  }

  /** Puts the marker on the selected entity and, when following, the camera over it. */
  private followSelected(): void {
    let x: number;
    let z: number;
    let h: number;
    if (this.selectedSite) {
      x = this.stage.sx(this.selectedSite.x);
      z = this.stage.sz(this.selectedSite.y);
      h = 0;
    } else {
      const k = this.selected === null ? -1 : this.view.indexOf(this.selected);
      if (k < 0) {
        this.marker.visible = false;
        return;
      }
      x = this.stage.sx(this.view.x[k]);
      z = this.stage.sz(this.view.y[k]);
      h = this.view.z[k];
    }
    this.marker.position.set(x, h + 0.1, z);
    this.marker.visible = true;
    if (this.following) {
      // move camera and target together: the user's orbit angle and distance are kept
      const c = this.stage.controls;
      const dx = x - c.target.x;
      const dz = z - c.target.z;
      c.target.x += dx;
      c.target.z += dz;
      this.stage.camera.position.x += dx;
      this.stage.camera.position.z += dz;
    }
  }

  private updatePanel(t: number, n: number): void {
    const slider = $<HTMLInputElement>('slider');
    if (document.activeElement !== slider) slider.value = String(t);
    slider.max = String(this.player.end);
    $('clock').textContent = `${formatClock(t)} / ${formatClock(this.player.end)}`;
    $('play').textContent = this.player.playing ? '❚❚' : '▶';
    for (const c of this.charts) c.setTime(t);
    publishFrameState(this, t, n, this.following);
    $('status').textContent = `${debug.vehicles} entities`;
  }

  run(): void {
    const loop = (now: number) => {
      if (currentError() !== null) return; // the message stays; nothing more is drawn
      try {
        if (this.due(now)) {
          const f0 = performance.now();
          this.frame(now);
          debug.frameMs = performance.now() - f0;
          this.meter.picture(f0, debug.frameMs);
        }
        const reading = this.meter.show(performance.now());
        if (reading) debug.meter = { shown: true, ...reading };
        // also when nothing is drawn: the last change may have come within the throttle's interval
        this.writeHash(now);
      } catch (err) {
        showError((err as Error).message);
        return;
      }
      this.schedule(loop);
    };
    requestAnimationFrame(loop);
  }
}

