import * as Dialog from '@radix-ui/react-dialog';
import { clsx } from 'clsx';
import type { ReactNode } from 'react';

/** The overlay and panel every dialog of the console shares: centred, within a phone's width, scrolling when tall. */
export const DialogFrame = ({ title, description, children, narrow }: { title: string; description: ReactNode; children: ReactNode; narrow?: boolean }) => (
  <Dialog.Portal>
    <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
    <Dialog.Content
      className={clsx(
        'fixed top-1/2 left-1/2 z-50 max-h-[calc(100vh-2rem)] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100',
        narrow ? 'max-w-sm' : 'max-w-md',
      )}
    >
      <Dialog.Title className="text-lg font-semibold break-words">{title}</Dialog.Title>
      <Dialog.Description asChild>
        <div className="mt-2 text-sm text-slate-600 dark:text-slate-300">{description}</div>
      </Dialog.Description>
      {children}
    </Dialog.Content>
  </Dialog.Portal>
);
