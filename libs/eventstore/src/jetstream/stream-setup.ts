/**
 * Creates the one JetStream stream that holds every event, or brings an existing one in line
 * (subjects, duplicate window, and replicas when asked for). The storage type of an existing stream
 * cannot change.
 */
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';

import { describeLayout, type ResolvedOptions } from './options.js';

const STREAM_NAME_IN_USE = 10058;

export async function ensureStream(jsm: JetStreamManager, opts: ResolvedOptions): Promise<StreamInfo> {
  const existing = await streamInfo(jsm, opts.streamName);
  if (existing) return updateIfNeeded(jsm, existing, opts);
  try {
    return await jsm.streams.add({
      name: opts.streamName,
      subjects: [`${opts.subjectPrefix}.>`],
      description: describeLayout(opts.branchCategories),
      retention: RetentionPolicy.Limits,
      storage: opts.storage === 'memory' ? StorageType.Memory : StorageType.File,
      num_replicas: opts.replicas ?? 1,
      duplicate_window: nanos(opts.duplicateWindowMs),
      discard: DiscardPolicy.Old,
      max_msgs: -1,
      max_bytes: -1,
      max_age: 0,
      max_msgs_per_subject: -1,
    });
  } catch (err) {
    // Another process created it between our look-up and our add.
    if (!(err instanceof JetStreamApiError && err.code === STREAM_NAME_IN_USE)) throw err;
    const created = await streamInfo(jsm, opts.streamName);
    if (!created) throw err;
    return updateIfNeeded(jsm, created, opts);
  }
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw err;
  }
}

async function updateIfNeeded(jsm: JetStreamManager, info: StreamInfo, opts: ResolvedOptions): Promise<StreamInfo> {
  const config: StreamConfig = info.config;
  const wantedStorage = opts.storage === 'memory' ? StorageType.Memory : StorageType.File;
  if (config.storage !== wantedStorage) {
    throw new Error(
      `JetStream stream ${opts.streamName} uses ${config.storage} storage, not ${opts.storage}; it cannot be changed in place`,
    );
  }
  const wildcard = `${opts.subjectPrefix}.>`;
  const subjects = config.subjects ?? [];
  const update: Partial<StreamConfig> = {};
  if (!subjects.includes(wildcard)) update.subjects = [...subjects, wildcard];
  if (config.duplicate_window !== nanos(opts.duplicateWindowMs)) update.duplicate_window = nanos(opts.duplicateWindowMs);
  if (opts.replicas !== undefined && config.num_replicas !== opts.replicas) update.num_replicas = opts.replicas;
  if (Object.keys(update).length === 0) return info;
  return jsm.streams.update(opts.streamName, { ...config, ...update });
}
