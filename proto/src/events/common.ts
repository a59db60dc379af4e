import { z } from 'zod';

export const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'ids use letters, digits, "-" and "_"');
/** DNS label: what a project or service name must be, since it becomes part of a hostname. */
export const dnsLabel = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and "-", starting and ending with a letter or digit');
export const timestamp = z.iso.datetime();
export const imageRef = z.string().min(1).max(512);
export const commitSha = z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hex commit id');
