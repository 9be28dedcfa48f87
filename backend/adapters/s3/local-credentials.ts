/**
 * The fixed key pair s3rver accepts. The local stand-in is reached with these whatever the
 * environment holds, so a developer's own AWS credentials never sign local requests.
 */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
