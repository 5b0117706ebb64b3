'use client';

import { useParams } from 'next/navigation';
import { card, linkClass, mutedText, pageTitle, segmentText } from '../../../../ui';

/** A deployment that does not exist, or whose app is not in the caller's team. */
export default function DeploymentNotFound() {
  const { name } = useParams<{ name: string }>();
  return (
    <div className={`mx-auto max-w-xl space-y-4 ${card}`} data-testid="deployment-not-found">
      <h1 className={pageTitle}>Deployment not found</h1>
      <p className={`text-sm ${mutedText}`}>
        There is no such deployment in your team: the link may be mistyped, or the app is gone or belongs to another team.
      </p>
      <div className="flex flex-wrap gap-4 text-sm">
        {name ? (
          <a href={`/apps/${name}`} className={linkClass}>
            Deployments of {segmentText(name)}
          </a>
        ) : null}
        <a href="/" className={linkClass}>
          See your apps
        </a>
      </div>
    </div>
  );
}
