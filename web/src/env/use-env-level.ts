import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import type { EnvVarsAtQuery } from '../graphql/graphql';
import { DeleteEnvVarAt, DeleteGlobalEnvVar, EnvVarsAt, GlobalEnvVars, SetEnvVarAt, SetGlobalEnvVar } from './env-documents';

/** Where variables are set: they merge global < project < service at deploy time. */
export type EnvLevel = { scope: 'service'; serviceId: string } | { scope: 'project'; projectId: string } | { scope: 'global' };

export type EnvVarRow = EnvVarsAtQuery['envVars']['vars'][number];

/**
 * One level's variables, with set and delete. Both mutations answer the level's whole list, which
 * then stands for the query's until the next read.
 */
export const useEnvLevel = (level: EnvLevel) => {
  const global = level.scope === 'global';
  const ids = level.scope === 'service' ? { serviceId: level.serviceId } : level.scope === 'project' ? { projectId: level.projectId } : {};
  const scoped = useQuery(EnvVarsAt, { variables: ids, skip: global });
  const instance = useQuery(GlobalEnvVars, { skip: !global });
  const [latest, setLatest] = useState<EnvVarRow[] | null>(null);
  const [setScoped, settingScoped] = useMutation(SetEnvVarAt);
  const [deleteScoped, deletingScoped] = useMutation(DeleteEnvVarAt);
  const [setGlobal, settingGlobal] = useMutation(SetGlobalEnvVar);
  const [deleteGlobal, deletingGlobal] = useMutation(DeleteGlobalEnvVar);

  const queried = global ? instance.data?.globalEnvVars.vars : scoped.data?.envVars.vars;
  const save = async (key: string, value: string, secret: boolean) => {
    const r = global
      ? (await setGlobal({ variables: { key, value, secret } }).catch(() => null))?.data?.setGlobalEnvVar
      : (await setScoped({ variables: { ...ids, key, value, secret } }).catch(() => null))?.data?.setEnvVar;
    if (r) setLatest(r.vars);
    return Boolean(r);
  };
  const remove = async (key: string) => {
    const r = global
      ? (await deleteGlobal({ variables: { key } }).catch(() => null))?.data?.deleteGlobalEnvVar
      : (await deleteScoped({ variables: { ...ids, key } }).catch(() => null))?.data?.deleteEnvVar;
    if (r) setLatest(r.vars);
  };
  const saving = global ? settingGlobal : settingScoped;
  const removing = global ? deletingGlobal : deletingScoped;
  return {
    vars: latest ?? queried ?? [],
    loaded: Boolean(queried),
    loading: global ? instance.loading : scoped.loading,
    error: global ? instance.error : scoped.error,
    save,
    saving: { loading: saving.loading, error: saving.error, reset: saving.reset },
    remove,
    removing: { loading: removing.loading, error: removing.error },
  };
};
