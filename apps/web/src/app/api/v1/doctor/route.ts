import { NextResponse } from 'next/server';
import { authorizeDoctor, doctorReport } from '@/app/doctor/run-doctor';
import { apiCaller } from '@/server/caller';
import { handler } from '@/server/http';

export const dynamic = 'force-dynamic';

/** `paas doctor`: every check of the install, `{status, checks: [{id, title, status, detail, fix?}]}` (200 even when some fail). */
export const GET = handler(async (request: Request) => {
  authorizeDoctor(await apiCaller(request));
  return NextResponse.json(await doctorReport());
});
