/** Policy texts are authoritative in Chinese; English is for integrators and readers abroad. */
export interface BilingualText {
  zh: string;
  en: string;
}
