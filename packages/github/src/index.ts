export * from './sign-payload';
export * from './verify-signature';
