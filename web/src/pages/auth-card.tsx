import { Sailboat } from 'lucide-react';
import type { ReactNode } from 'react';

export const AuthCard = ({ title, children }: { title: string; children: ReactNode }) => (
  <main className="flex min-h-screen items-center justify-center p-4">
    <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <p className="mb-1 flex items-center gap-2 text-lg font-semibold"><Sailboat size={20} aria-hidden /> Slipway</p>
      <h1 className="mb-4 text-xl font-semibold">{title}</h1>
      {children}
    </div>
  </main>
);
