// The one interface every cloud implements (`local` processes on this machine,
// `aws` AMIs + Auto Scaling Groups + ALB). It speaks in the platform's words:
// images, release templates, server groups, routes. Every write is idempotent
// by the deterministic name it is given, so a retried or resumed step finds
// what an earlier attempt created instead of creating it twice. Operations that
// take long (an AMI bake, a certificate) start and return a handle; callers
// re-check later with a delayed job instead of holding a worker.

export type ProcessCommands = Record<string, string>;

export interface ImageBuildInput {
  app: string;
  /** Deterministic, e.g. the build id: starting the same build twice returns the same handle. */
  buildId: string;
  repoUrl: string;
  commitSha: string;
}

export type ImageBuildStatus =
  | { state: 'running'; log: string }
  | { state: 'succeeded'; log: string; imageRef: string; processes: ProcessCommands; stack: string }
  | { state: 'failed'; log: string; error: string };

export interface ReleaseTemplateInput {
  app: string;
  version: number;
  imageRef: string;
  processes: ProcessCommands;
  /** Decrypted config vars. The provider stores them as secrets (never in user data). */
  env: Record<string, string>;
  instanceSize: string;
}

export interface ServerGroupInput {
  /** Deterministic: `<app>-v<version>-<type>`. */
  name: string;
  app: string;
  release: number;
  processType: string;
  templateRef: string;
  desired: number;
}

export type InstanceHealth = 'starting' | 'healthy' | 'unhealthy' | 'stopped';

export interface InstanceInfo {
  id: string;
  address: string | null;
  health: InstanceHealth;
  /** Why an instance is unhealthy or stopped, e.g. its exit code and last log lines. */
  detail?: string;
}

export interface ServerGroupInfo {
  ref: string;
  name: string;
  desired: number;
  instances: InstanceInfo[];
}

export interface RouteInput {
  app: string;
  hostnames: string[];
  /** The server group that receives the traffic; null takes the app offline. */
  serverGroupRef: string | null;
}

export interface CloudProvider {
  readonly kind: 'local' | 'aws';

  startImageBuild(input: ImageBuildInput): Promise<{ jobRef: string }>;
  getImageBuild(jobRef: string): Promise<ImageBuildStatus>;
  /** Stops a running build (a superseded deploy) and frees what it holds. */
  cancelImageBuild(jobRef: string): Promise<void>;

  createReleaseTemplate(input: ReleaseTemplateInput): Promise<{ templateRef: string }>;

  ensureServerGroup(input: ServerGroupInput): Promise<{ ref: string }>;
  describeServerGroup(ref: string): Promise<ServerGroupInfo | null>;
  resizeServerGroup(ref: string, desired: number): Promise<void>;
  destroyServerGroup(ref: string): Promise<void>;

  /** Points the app's hostnames at one server group; traffic to any other group stops. */
  routeApp(input: RouteInput): Promise<void>;
  /** Default public hostnames of an app on this provider, e.g. `<app>.localhost`. */
  defaultHostnames(app: string): string[];

  /**
   * Periodic upkeep the cloud does not do by itself: the local provider replaces
   * crashed processes here (an Auto Scaling Group does that on AWS).
   */
  reconcile(): Promise<void>;
}

/** How soon a provider suggests re-checking long operations, in ms. */
export interface ProviderTimings {
  buildPollMs: number;
  healthPollMs: number;
  healthTimeoutMs: number;
}

/** The read-only part: what the dashboard and API need to show what runs. */
export type CloudInventory = Pick<CloudProvider, 'kind' | 'describeServerGroup' | 'defaultHostnames'>;
