/**
 * The Three.js stage: renderer, camera, orbit controls, lights and ground, and the mapping from
 * simulation coordinates (x east, y north, z up, metres) to the scene's (x, y up, z south),
 * centred on the network so that float32 positions keep centimetre precision.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';

export class Stage {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera: THREE.PerspectiveCamera;
  readonly controls: OrbitControls;
  readonly cx: number;
  readonly cy: number;

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
    const extent = Math.max(box.maxX - box.minX, box.maxY - box.minY, 50);
    this.camera = new THREE.PerspectiveCamera(45, 1, 0.5, extent * 20);
    this.camera.position.set(0, extent * 0.75, extent * 0.55);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.target.set(0, 0, 0);
    this.controls.maxPolarAngle = Math.PI * 0.48; // never under the ground
    this.controls.screenSpacePanning = false; // pan along the ground plane, as on a map
    this.controls.update();

    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x8a8f96, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.4);
    sun.position.set(-0.4, 1, 0.3);
    this.scene.add(sun);
    const ground = new THREE.Mesh(
      new THREE.PlaneGeometry(extent * 3, extent * 3),
      new THREE.MeshBasicMaterial({ color: 0xc9d3c4 }),
    );
    ground.rotation.x = -Math.PI / 2;
    ground.position.y = -0.05;
    this.scene.add(ground);
    this.resize();
    window.addEventListener('resize', () => this.resize());
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
    this.renderer.render(this.scene, this.camera);
  }
}
