/** A tab trigger (Radix Tabs): underlined when active, scrolls sideways on a phone. */
export const tabClass =
  'shrink-0 rounded-t-md border-b-2 border-transparent px-2 py-2 sm:px-3 text-sm font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-500 data-[state=active]:border-sky-600 data-[state=active]:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100 dark:data-[state=active]:border-sky-400 dark:data-[state=active]:text-slate-100';
