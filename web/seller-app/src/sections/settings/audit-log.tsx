import { useState } from 'preact/hooks';
import type { Page } from '../../api';
import type { AuditEntry } from '../../api-types';
import { when } from '../../format';
import { t } from '../../i18n';
import { href } from '../../router';
import { PagedRows } from '../../ui';
import { useApi } from '../../use-api';

/** Who changed staff, keys, partner access and M-Pesa, newest first (owner only). */
export function AuditLog() {
  const [page, setPage] = useState(1);
  const { data, problem } = useApi<Page<AuditEntry>>(`/api/audit-log?page=${page}&limit=20`);
  return (
    <>
      <p class="crumbs">
        <a href={href('/settings')}>{t('nav.settings')}</a> › {t('settings.audit')}
      </p>
      <h1 tabIndex={-1}>{t('settings.audit')}</h1>
      <p class="lead">{t('settings.audit.about')}</p>
      <PagedRows
        page={data}
        problem={problem}
        what={t('settings.audit')}
        empty={t('audit.none')}
        rowClass={() => 'row audit'}
        onPage={setPage}
        row={(e) => (
          <>
            <strong>
              <code>{e.action}</code>
            </strong>
            <span>
              {e.actor.email ?? e.actor.id}
              {e.target && <> → {e.target}</>}
            </span>
            <span class="muted">
              {when(e.at)}
              {e.ip && ` · ${e.ip}`}
            </span>
          </>
        )}
      />
    </>
  );
}
