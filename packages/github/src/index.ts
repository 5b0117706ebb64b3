export * from './github-api';
export * from './sign-payload';
export * from './verify-signature';
