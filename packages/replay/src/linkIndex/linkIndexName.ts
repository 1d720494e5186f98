import { PROJECTOR_VERSION } from '@meshfold/core';
import { LINK_BLOCK_FORMAT } from './LinkBlock.js';

/**
 * The store name of the link index this meshfold writes and reads. Associations are the fold's
 * verdict and blocks have a format, so an index another projector version or block format wrote
 * is another index: never read as this one, and a log holding only that one has none.
 */
export const LINK_INDEX = `links/${LINK_BLOCK_FORMAT}/${PROJECTOR_VERSION}`;
