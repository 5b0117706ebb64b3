export type { AwsAuth, AwsCallStats } from './clients';
export { type AwsProviderOptions, createAwsProvider } from './create-aws-provider';
export { awsNames } from './names';
export { type AwsSettings, awsSettingsSchema, parseAwsSettings } from './settings';
export { TAG } from './tags';
