// The Teleport double's OIDC issuers (GitHub Actions, GitLab CI, CircleCI). See README.md.
export * from './claims';
export * from './github-token-endpoint';
export * from './issuer';
