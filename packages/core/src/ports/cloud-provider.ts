// The one interface every cloud implements (`local` processes on this machine,
// `aws` AMIs + Auto Scaling Groups + ALB). It speaks in the platform's words:
// images, release templates, server groups, load balancing. Callers pass ids;
// the provider derives every cloud name from them (unique, within its cloud's
// limits), so the domain never concatenates a cloud name. Every write is
// idempotent by those ids: a retried or resumed step finds what an earlier
// attempt created instead of creating it twice. Long operations (an AMI bake, a
// certificate) start and return a handle; callers re-check later with a delayed
// job instead of holding a worker.

import type { InstanceSize } from '../formation/instance-sizes';

export type ProcessCommands = Record<string, string>;

/** The app a resource belongs to: the id names cloud resources, the name is for people. */
export interface AppRef {
  id: string;
  name: string;
  /** For cost allocation: clouds tag what they create with it. */
  teamId?: string;
}

// ─── Images ──────────────────────────────────────────────────────────────────

export interface ImageBuildInput {
  app: AppRef;
  /** Deterministic: starting the same build twice returns the same handle. */
  buildId: string;
  repoUrl: string;
  /** A branch, tag or commit sha; the builder resolves it and reports the commit. */
  ref: string;
  /** The build definition (buildpack + version) the image is made with. */
  definition: string;
  /**
   * Fetch the source as this tarball (of the commit `ref` names, a full sha)
   * instead of cloning `repoUrl`: how repositories behind the GitHub App are read.
   */
  archive?: { url: string; authorization: string };
}

export type ImageBuildStatus =
  | { state: 'running' }
  | { state: 'succeeded'; imageRef: string; commitSha: string; processes: ProcessCommands; stack: string }
  | { state: 'failed'; error: string };

export interface ImageLookup {
  app: AppRef;
  repoUrl: string;
  commitSha: string;
  definition: string;
}

export interface FoundImage {
  imageRef: string;
  processes: ProcessCommands;
  stack: string;
}

/** A piece of a log read from `cursor`; pass `cursor` back for what follows. */
export interface LogChunk {
  text: string;
  cursor: string;
  /** True once nothing will be appended any more (the build finished). */
  complete: boolean;
}

// ─── Config (secrets) ────────────────────────────────────────────────────────

export interface ConfigInput {
  app: AppRef;
  /** The config version: one immutable snapshot per version, written once. */
  version: number;
  vars: Record<string, string>;
}

// ─── Release templates ───────────────────────────────────────────────────────

/** Like an ALB target group's health check; null for process types that serve no HTTP. */
export interface HealthCheck {
  path: string;
  /** How long a new instance may take before failed checks count. */
  gracePeriodMs: number;
  intervalMs: number;
  timeoutMs: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface ProcessTemplate {
  command: string;
  size: InstanceSize;
  healthCheck: HealthCheck | null;
}

export interface ReleaseTemplateInput {
  app: AppRef;
  release: { id: string; version: number };
  imageRef: string;
  /** The config snapshot's handle in the provider's secrets store; null = no config vars. */
  configRef: string | null;
  processes: Record<string, ProcessTemplate>;
}

// ─── Server groups ───────────────────────────────────────────────────────────

export interface Capacity {
  min: number;
  max: number;
  desired: number;
}

export interface ServerGroupInput {
  /** The platform's id of the group; the cloud name derives from it. */
  id: string;
  app: AppRef;
  release: { id: string; version: number };
  processType: string;
  templateRef: string;
  capacity: Capacity;
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
  capacity: Capacity;
  /** Disabled groups keep their instances but never receive traffic. */
  enabled: boolean;
  instances: InstanceInfo[];
  /** The group's target-tracking policy; null when its count is fixed. */
  scaling: ScalingPolicy | null;
}

/**
 * Bounds for a group whose desired count its autoscaler owns: the cloud keeps
 * the count it chose, moved into [min, max] when outside.
 */
export interface ScalingBounds {
  min: number;
  max: number;
}

// ─── Autoscaling ─────────────────────────────────────────────────────────────

/**
 * Target tracking, like an Auto Scaling Group's policy: the cloud adds
 * instances when the metric's average over the group is above `target`, and
 * removes them (more slowly) when it is well below, within the group's bounds.
 */
export interface ScalingPolicy {
  /** cpu: average CPU utilisation of the instances, in %; requests: requests per instance per minute. */
  metric: 'cpu' | 'requests';
  target: number;
}

// ─── Traffic metrics ─────────────────────────────────────────────────────────

/** What the load balancer saw for an app in one minute. */
export interface TrafficMinute {
  /** Start of the minute (UTC, a whole minute). */
  minute: Date;
  requests: number;
  /** Responses with a 5xx status, from the app or from the load balancer itself (no healthy instance). */
  errors5xx: number;
  /** Response-time percentiles over the minute, in ms; null when there were no requests. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface TrafficMetricsQuery {
  app: AppRef;
  /** The app's server groups that may have served in the window (a rollout moves traffic between them). */
  serverGroupRefs: string[];
  /** Whole minutes: from inclusive, to exclusive. */
  from: Date;
  to: Date;
}

// ─── Load balancing ──────────────────────────────────────────────────────────

export interface TrafficInput {
  app: AppRef;
  hostnames: string[];
  /** The server group that receives the app's traffic; null takes the app offline. */
  serverGroupRef: string | null;
}

export interface TrafficInfo {
  hostnames: string[];
  serverGroupRef: string | null;
  /** Groups registered with the app's load balancer. */
  registered: string[];
  /** Where the app's DNS names must point (a load balancer's DNS name), when the cloud has one. */
  dnsTarget?: string;
}

// ─── Certificates ────────────────────────────────────────────────────────────

/** A DNS record the domain's owner (or the provider, when it hosts the zone) must publish. */
export interface DnsRecord {
  name: string;
  type: 'CNAME' | 'A' | 'TXT';
  value: string;
}

export interface CertificateInfo {
  state: 'pending_validation' | 'issued' | 'failed';
  /** Records that prove control of the hostname; empty until the cloud has made them. */
  validationRecords: DnsRecord[];
  reason?: string;
}

// ─── Runtime logs ────────────────────────────────────────────────────────────

export interface InstanceLogQuery {
  app: AppRef;
  serverGroupRefs: string[];
  /** Start after this point; null = the last `tail` lines. */
  cursor: string | null;
  tail: number;
}

export interface CloudProvider {
  readonly kind: 'local' | 'aws';

  startImageBuild(input: ImageBuildInput): Promise<{ jobRef: string }>;
  getImageBuild(jobRef: string): Promise<ImageBuildStatus>;
  readImageBuildLog(jobRef: string, cursor: string | null): Promise<LogChunk>;
  /** Stops a running build (cancelled, superseded or past its deadline) and frees what it holds. */
  cancelImageBuild(jobRef: string): Promise<void>;
  /** An image already made from this source and definition, to reuse instead of building again. */
  findImage(lookup: ImageLookup): Promise<FoundImage | null>;

  /** Stores a config snapshot where only the app's instances can read it; idempotent by (app, version). */
  putConfig(input: ConfigInput): Promise<{ configRef: string }>;
  deleteConfig(configRef: string): Promise<void>;

  /** Immutable, like a launch template version: same input, same ref; other input for a release is a conflict. */
  createReleaseTemplate(input: ReleaseTemplateInput): Promise<{ templateRef: string }>;

  ensureServerGroup(input: ServerGroupInput): Promise<{ ref: string }>;
  describeServerGroups(refs: string[]): Promise<Map<string, ServerGroupInfo | null>>;
  /** A fixed count (Capacity), or bounds for a group with a scaling policy (its autoscaler picks the count). */
  setCapacity(ref: string, capacity: Capacity | ScalingBounds): Promise<void>;
  /** Sets (or with null removes) the group's target-tracking policy; idempotent. */
  setScalingPolicy(ref: string, policy: ScalingPolicy | null): Promise<void>;
  /** A disabled group keeps running (for an instant rollback) and gets no traffic. */
  enableServerGroup(ref: string): Promise<void>;
  disableServerGroup(ref: string): Promise<void>;
  destroyServerGroup(ref: string): Promise<void>;

  /** Attaches a group to the app's load balancer: health-checked, no traffic until switched to. */
  registerServerGroup(app: AppRef, ref: string): Promise<void>;
  deregisterServerGroup(app: AppRef, ref: string): Promise<void>;
  /** Points the app's hostnames at one registered server group; traffic to any other group stops. */
  switchTraffic(input: TrafficInput): Promise<void>;
  describeTraffic(app: AppRef): Promise<TrafficInfo | null>;
  /** Changes the hostnames the app answers on; which group serves stays as it is. No-op for an app without routes. */
  setHostnames(app: AppRef, hostnames: string[]): Promise<void>;
  /** Default public hostnames of an app on this provider, e.g. `<app>.localhost`. */
  defaultHostnames(appName: string): string[];
  /**
   * What each size runs on, to price it (an EC2 instance type per size), or
   * null when an instance costs nothing by itself (this machine). No API call.
   */
  instanceTypes(): Readonly<Record<InstanceSize, string>> | null;
  /** The sizes apps in this account may use (an account's settings may offer fewer). No API call. */
  instanceSizes(): readonly InstanceSize[];

  readInstanceLogs(query: InstanceLogQuery): Promise<{ text: string; cursor: string }>;
  /**
   * Requests, 5xx and latency per minute as the app's load balancer saw them,
   * in minute order; minutes without requests may be left out. The worker
   * copies them into Postgres once a minute: pages never call this.
   */
  readTrafficMetrics(query: TrafficMetricsQuery): Promise<TrafficMinute[]>;

  /** A certificate for a custom hostname, validated by DNS; idempotent by certificateId. */
  requestCertificate(input: { app: AppRef; certificateId: string; hostname: string }): Promise<{ certificateRef: string }>;
  describeCertificate(certificateRef: string): Promise<CertificateInfo>;
  /** Publishes the validation records when the cloud hosts the hostname's DNS zone; false when its owner must. */
  publishValidationRecords(certificateRef: string): Promise<boolean>;
  /** Where the hostname must point (a CNAME target); null when the provider cannot say. */
  domainTarget(app: AppRef): Promise<DnsRecord | null>;
  /** Serves the certificate on the app's load balancer (for its hostname). */
  attachCertificate(app: AppRef, certificateRef: string): Promise<void>;
  detachCertificate(app: AppRef, certificateRef: string): Promise<void>;
  deleteCertificate(certificateRef: string): Promise<void>;

  /** Removes everything the app owns in this cloud: builds, images, templates, config, groups, routes, logs. */
  teardownApp(app: AppRef): Promise<void>;

  /** Checks that the platform can act in the account (credentials, network); the cloud's account id when it has one. */
  verifyAccess(): Promise<{ accountId: string | null }>;
  /**
   * The actions the platform uses that the account refuses it (a dry run where
   * the cloud has one, else a harmless read of each service); none on a cloud
   * without permissions. For `paas doctor`: a stack left on an older account
   * template shows here before a deploy fails on it.
   */
  checkPermissions(): Promise<{ missing: string[] }>;

  /**
   * Periodic upkeep the cloud does not do by itself: the local provider replaces
   * crashed processes here (an Auto Scaling Group does that on AWS).
   */
  reconcile(): Promise<void>;
}

/** The cloud account an app runs in; one provider instance serves one account. */
export interface CloudAccountRef {
  id: string;
  provider: 'local' | 'aws';
  region: string;
  /** AWS: `instance_profile` (the default credential chain) or `assume_role`. */
  authMethod?: string;
  roleArn?: string | null;
  externalId?: string | null;
  /** Provider settings of the account (VPC, base domain, certificate…), validated by the provider. */
  settings?: unknown;
}

export interface CloudRegistry {
  forAccount(account: CloudAccountRef): CloudProvider;
  /** Every provider made so far, for periodic upkeep. */
  all(): CloudProvider[];
  /** Refuses (validation_failed, saying what is wrong) an account its provider could not run with. */
  checkSettings(account: Pick<CloudAccountRef, 'provider' | 'region' | 'settings'>): void;
}

/** The read-only part the web app gets: it shows what runs, it never changes it. */
export type CloudInventory = Pick<
  CloudProvider,
  | 'kind'
  | 'defaultHostnames'
  | 'instanceTypes'
  | 'instanceSizes'
  | 'readInstanceLogs'
  // Read-only calls for `paas doctor`, which the web app serves.
  | 'verifyAccess'
  | 'checkPermissions'
  | 'domainTarget'
>;

export interface CloudInventoryRegistry {
  forAccount(account: CloudAccountRef): CloudInventory;
  /** Refuses (validation_failed, saying what is wrong) settings the account's provider could not run with. */
  checkSettings(account: Pick<CloudAccountRef, 'provider' | 'region' | 'settings'>): void;
}
