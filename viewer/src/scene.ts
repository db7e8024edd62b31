/**
 * The Three.js stage: renderer, camera, controls, lights and ground, and the mapping from
 * simulation coordinates (x east, y north, z up, metres) to the scene's (x, y up, z south),
 * centred on the network so that float32 positions keep centimetre precision.
 *
 * Two camera modes: 'map' (the default) looks straight down, drag pans, the wheel zooms toward
 * the cursor, nothing rotates; 'orbit' adds rotation (drag) and tilt, right-drag pans. Both zoom
 * toward the cursor (OrbitControls.zoomToCursor).
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { GROUND } from './palette.js';

export type CameraMode = 'map' | 'orbit';

export class Stage {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera: THREE.PerspectiveCamera;
  readonly controls: OrbitControls;
  readonly cx: number;
  readonly cy: number;
  readonly extent: number;
  private readonly boxW: number;
  private readonly boxH: number;
  mode: CameraMode = 'map';

  constructor(
    readonly canvas: HTMLCanvasElement,
    box: { minX: number; minY: number; maxX: number; maxY: number },
    /** multisampling: off in live mode, where every picture drawn in software WebGL is CPU taken from the engine */
    antialias = true,
  ) {
    this.cx = (box.minX + box.maxX) / 2;
    this.cy = (box.minY + box.maxY) / 2;
    // preserveDrawingBuffer: screenshots and pixel checks read what was drawn
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio));
    this.scene.background = new THREE.Color(0xdfe5ea);
    this.boxW = Math.max(50, box.maxX - box.minX);
    this.boxH = Math.max(50, box.maxY - box.minY);
    const extent = (this.extent = Math.max(box.maxX - box.minX, box.maxY - box.minY, 50));
    this.camera = new THREE.PerspectiveCamera(45, 1, 0.5, extent * 20);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.zoomToCursor = true;
    this.controls.minDistance = 8;
    this.controls.maxDistance = extent * 4;
    // zooming to the cursor moves the target along the view ray: keep it on the ground, so that
    // the map under a drag moves with the pointer
    this.controls.addEventListener('change', () => {
      const t = this.controls.target;
      if (this.mode !== 'map' || Math.abs(t.y) < 1e-6) return;
      const k = t.y / (this.camera.position.y - t.y || 1);
      t.x -= (this.camera.position.x - t.x) * k;
      t.z -= (this.camera.position.z - t.z) * k;
      t.y = 0;
    });
    this.resize();
    this.setMode('map');
    this.home();

    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x8a8f96, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.4);
    sun.position.set(-0.4, 1, 0.3);
    this.scene.add(sun);
    const ground = new THREE.Mesh(
      new THREE.PlaneGeometry(extent * 3, extent * 3),
      new THREE.MeshBasicMaterial({ color: GROUND }),
    );
    ground.rotation.x = -Math.PI / 2;
    ground.position.y = -0.05;
    this.scene.add(ground);
    window.addEventListener('resize', () => this.resize());
  }

  /** Switches between the top-down map view and the free orbit view (keeping the point looked at). */
  setMode(mode: CameraMode): void {
    this.mode = mode;
    const c = this.controls;
    if (mode === 'map') {
      c.enableRotate = false;
      c.minPolarAngle = 0;
      c.maxPolarAngle = 0;
      c.screenSpacePanning = true; // looking straight down, the screen plane is the ground plane
      c.mouseButtons = { LEFT: THREE.MOUSE.PAN, MIDDLE: THREE.MOUSE.DOLLY, RIGHT: THREE.MOUSE.PAN };
      c.touches = { ONE: THREE.TOUCH.PAN, TWO: THREE.TOUCH.DOLLY_PAN };
      // straight above the target, north up
      const d = this.camera.position.distanceTo(c.target) || this.extent;
      this.camera.position.set(c.target.x, c.target.y + d, c.target.z);
      this.camera.up.set(0, 1, 0);
    } else {
      c.enableRotate = true;
      c.minPolarAngle = 0;
      c.maxPolarAngle = Math.PI * 0.48; // never under the ground
      c.screenSpacePanning = false; // pan along the ground plane
      c.mouseButtons = { LEFT: THREE.MOUSE.ROTATE, MIDDLE: THREE.MOUSE.DOLLY, RIGHT: THREE.MOUSE.PAN };
      c.touches = { ONE: THREE.TOUCH.ROTATE, TWO: THREE.TOUCH.DOLLY_PAN };
    }
    c.update();
  }

  /** The whole network in view, from straight above in map mode (tilted in orbit mode). */
  home(): void {
    const tan = Math.tan((this.camera.fov * Math.PI) / 360);
    const d = 1.08 * Math.max(this.boxH / 2 / tan, this.boxW / 2 / (tan * Math.max(0.2, this.camera.aspect)));
    this.lookAt(0, 0, d);
  }

  /** Puts the camera `dist` metres from scene point (x, 0, z), keeping its direction (straight down in map mode). */
  lookAt(x: number, z: number, dist: number): void {
    const c = this.controls;
    const dir = this.mode === 'map' ? new THREE.Vector3(0, 1, 0.0001) : this.camera.position.clone().sub(c.target).normalize();
    if (!(dir.lengthSq() > 0) || this.mode === 'orbit' && dir.y < 0.05) dir.set(0, 0.8, 0.6);
    dir.normalize();
    c.target.set(x, 0, z);
    this.camera.position.copy(c.target).addScaledVector(dir, dist);
    c.update();
  }

  /** The camera as the URL keeps it: mode, point looked at (simulation metres), distance, orbit angles. */
  view(): { mode: CameraMode; x: number; y: number; dist: number; azimuth?: number; polar?: number } {
    const t = this.controls.target;
    const v = { mode: this.mode, x: t.x + this.cx, y: this.cy - t.z, dist: this.distance() };
    return this.mode === 'orbit' ? { ...v, azimuth: this.controls.getAzimuthalAngle(), polar: this.controls.getPolarAngle() } : v;
  }

  /** The inverse of view(). */
  setView(v: { mode: CameraMode; x: number; y: number; dist: number; azimuth?: number; polar?: number }): void {
    this.setMode(v.mode);
    const c = this.controls;
    c.target.set(this.sx(v.x), 0, this.sz(v.y));
    const dist = Math.min(c.maxDistance, Math.max(c.minDistance, v.dist));
    if (v.mode === 'orbit' && v.azimuth !== undefined && v.polar !== undefined) {
      const off = new THREE.Vector3().setFromSpherical(new THREE.Spherical(dist, v.polar, v.azimuth));
      this.camera.position.copy(c.target).add(off);
    } else this.camera.position.set(c.target.x, dist, c.target.z);
    c.update();
  }

  /** distance from the camera to the point it looks at, m */
  distance(): number {
    return this.camera.position.distanceTo(this.controls.target);
  }

  /** Metres of ground per CSS pixel at the point looked at. */
  metresPerPixel(): number {
    return (2 * this.distance() * Math.tan((this.camera.fov * Math.PI) / 360)) / Math.max(1, this.canvas.clientHeight);
  }

  /** The ground point (simulation coordinates) under CSS pixel (px, py) of the canvas, or null above the horizon. */
  groundAt(px: number, py: number): { x: number; y: number } | null {
    const ndc = new THREE.Vector2((px / Math.max(1, this.canvas.clientWidth)) * 2 - 1, -(py / Math.max(1, this.canvas.clientHeight)) * 2 + 1);
    const ray = new THREE.Raycaster();
    ray.setFromCamera(ndc, this.camera);
    const hit = ray.ray.intersectPlane(new THREE.Plane(new THREE.Vector3(0, 1, 0), 0), new THREE.Vector3());
    return hit ? { x: hit.x + this.cx, y: this.cy - hit.z } : null;
  }

  /** Whether WebGL runs in software (SwiftShader, llvmpipe): every pixel drawn is CPU time. */
  softwareRenderer(): boolean {
    const gl = this.renderer.getContext();
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    return /swiftshader|llvmpipe|softpipe|software/i.test(name);
  }

  /** Draws at `ratio` device pixels per CSS pixel (below 1: a blurrier but cheaper picture). */
  setPixelRatio(ratio: number): void {
    this.renderer.setPixelRatio(ratio);
    this.resize();
  }

  resize(): void {
    const w = this.canvas.clientWidth || 1;
    const h = this.canvas.clientHeight || 1;
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
  }

  sx(x: number): number {
    return x - this.cx;
  }

  sz(y: number): number {
    return -(y - this.cy);
  }

  /** Screen position (CSS pixels in the canvas) of a simulation point, for tests and labels. */
  toScreen(x: number, y: number, z = 0): { x: number; y: number } {
    const v = new THREE.Vector3(this.sx(x), z, this.sz(y)).project(this.camera);
    return { x: ((v.x + 1) / 2) * this.canvas.clientWidth, y: ((1 - v.y) / 2) * this.canvas.clientHeight };
  }

  render(): void {
    // near and far planes from the distance looked at: a fixed near plane of 0.5 m leaves metres
    // of depth resolution over a district, and the roads would fight with the ground under them
    const d = this.distance();
    const near = Math.max(0.2, d * 0.01);
    const far = d * 4 + this.extent * 3;
    if (near !== this.camera.near || far !== this.camera.far) {
      this.camera.near = near;
      this.camera.far = far;
      this.camera.updateProjectionMatrix();
    }
    this.renderer.render(this.scene, this.camera);
  }
}
